import type { Me } from '../auth/api.ts';
import { holds, holdsAtRoot } from '../auth/api.ts';

export interface NavItem {
  to: string;
  /** i18n key of the link text. */
  label: string;
  /** Shown only when the signed-in user may use the page (the API enforces it anyway). */
  visible: (me: Me) => boolean;
  /** Other paths whose pages belong to this entry (a plan action's page belongs to Program). */
  also?: string[];
}

export interface NavGroup {
  key: string;
  /** i18n key of the group's heading. */
  label: string;
  items: NavItem[];
}

/**
 * The main navigation, in groups (issue #13 item 5). Modules add their entry to their group; the shell
 * builds the side menu from this list and hides a group with no visible entry (preparedness is empty
 * until its modules come). Org-scoped pages need the action somewhere; system-wide pages need it on the
 * municipality itself.
 */
export const NAV_GROUPS: NavGroup[] = [
  {
    key: 'myWork',
    label: 'navGroup.myWork',
    items: [
      { to: '/', label: 'nav.start', visible: () => true },
      // Notifications (issue #11 item 8): everyone's own, filtered by the access core.
      { to: '/aviseringar', label: 'nav.notifications', visible: () => true },
      // Follow-up reports, and follow-up tasks on incidents (issue #6) for those who handle incidents.
      { to: '/mina-uppgifter', label: 'nav.myTasks', visible: (me) => holds(me, 'followup.report') || holds(me, 'incidents.manage') },
      { to: '/rapportera', label: 'nav.reportIncident', visible: (me) => holds(me, 'incidents.report') },
      // Partner sharing (issue #10): what is shared with a partner.
      { to: '/delat', label: 'nav.sharedWithUs', visible: (me) => holds(me, 'shares.view') },
    ],
  },
  {
    key: 'incidents',
    label: 'navGroup.incidents',
    items: [
      // Incidents and the lägesbild built from them: the map (org-scoped), then the municipality's weekly view and reports.
      { to: '/handelser', label: 'nav.incidents', visible: (me) => holds(me, 'incidents.read') || holds(me, 'incidents.manage') },
      { to: '/lagesbild', label: 'nav.lagesbild', visible: (me) => holds(me, 'incidents.read') || holds(me, 'incidents.manage') },
      // Lägesbild as a routine and a document (issue #6 point 6): the municipality's, so on the municipality itself.
      { to: '/lagesbild/vecka', label: 'lagesbild.navWeekly', visible: (me) => holdsAtRoot(me, 'incidents.read') || holdsAtRoot(me, 'incidents.manage') },
      { to: '/lagesbild/rapporter', label: 'lagesbild.navReports', visible: (me) => holdsAtRoot(me, 'incidents.read') || holdsAtRoot(me, 'incidents.manage') },
    ],
  },
  {
    key: 'cases',
    label: 'navGroup.cases',
    items: [
      // Cases (issue #5): the remisses sent to us to answer, the registry, and the governing documents decided there.
      { to: '/remisser', label: 'nav.remissInbox', visible: (me) => holds(me, 'cases.handle') },
      { to: '/arenden', label: 'nav.cases', visible: (me) => holds(me, 'cases.read') },
      { to: '/sammantraden', label: 'meetings.title', visible: (me) => holds(me, 'cases.read') },
      { to: '/styrdokument', label: 'nav.documents', visible: (me) => holds(me, 'documents.read') },
    ],
  },
  {
    key: 'program',
    label: 'navGroup.program',
    items: [
      { to: '/program', label: 'nav.programs', visible: (me) => holds(me, 'program.read'), also: ['/atgarder'] },
      // Follow-up rounds: for those who report or follow up, and those who read the municipality's programmes (the
      // rounds' state per organisation); a partner reading only its own organisation's would see empty rounds.
      { to: '/uppfoljning', label: 'nav.followUp', visible: (me) => holds(me, 'followup.report') || holds(me, 'followup.manage') || holdsAtRoot(me, 'program.read') },
    ],
  },
  // Crisis preparedness and civil defence: the coming modules add their pages here.
  { key: 'preparedness', label: 'navGroup.preparedness', items: [] },
  {
    key: 'admin',
    label: 'navGroup.admin',
    items: [
      // The coordinator's overview of all shares with partners.
      { to: '/delningar', label: 'nav.shares', visible: (me) => holds(me, 'shares.manage') },
      { to: '/organisationer', label: 'nav.organisations', visible: (me) => holds(me, 'organisations.read') },
      { to: '/anvandare', label: 'nav.users', visible: (me) => holds(me, 'users.read') },
      { to: '/logg', label: 'nav.audit', visible: (me) => holdsAtRoot(me, 'audit.read') },
      { to: '/utkorg', label: 'nav.outbox', visible: (me) => holdsAtRoot(me, 'mail.read') },
      { to: '/jobb', label: 'nav.jobs', visible: (me) => holdsAtRoot(me, 'jobs.read') },
    ],
  },
];

/** Every entry, in menu order. */
export const NAV_ITEMS: NavItem[] = NAV_GROUPS.flatMap((g) => g.items);

/** The groups with the entries the user may use; empty groups left out. */
export function visibleNav(me: Me): { key: string; label: string; items: NavItem[] }[] {
  return NAV_GROUPS.map((g) => ({ ...g, items: g.items.filter((i) => i.visible(me)) })).filter((g) => g.items.length > 0);
}

/**
 * The one entry that is current for a path: the longest entry path that is the path or a parent of it
 * (`/lagesbild/vecka` is the weekly view, not also the map; `/handelser/…` is under Händelser). Start only
 * on `/` itself.
 */
export function currentNavItem(items: readonly NavItem[], pathname: string): NavItem | undefined {
  const path = pathname.replace(/\/+$/, '') || '/';
  let best: { item: NavItem; length: number } | undefined;
  for (const item of items) {
    for (const to of [item.to, ...(item.also ?? [])]) {
      const hit = to === '/' ? path === '/' : path === to || path.startsWith(`${to}/`);
      if (hit && (!best || to.length > best.length)) best = { item, length: to.length };
    }
  }
  return best?.item;
}
