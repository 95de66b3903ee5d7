import type { Me } from '../auth/api.ts';
import { holds, holdsAtRoot } from '../auth/api.ts';

export interface NavItem {
  to: string;
  /** i18n key of the link text. */
  label: string;
  /** Shown only when the signed-in user may use the page (the API enforces it anyway). */
  visible: (me: Me) => boolean;
}

/**
 * The main navigation. Modules add their entry here; the shell builds the menu from this list.
 * Org-scoped pages need the action somewhere; system-wide pages need it on the municipality itself.
 */
export const NAV_ITEMS: NavItem[] = [
  { to: '/', label: 'nav.start', visible: () => true },
  // Follow-up reports, and follow-up tasks on incidents (issue #6) for those who handle incidents.
  { to: '/mina-uppgifter', label: 'nav.myTasks', visible: (me) => holds(me, 'followup.report') || holds(me, 'incidents.manage') },
  { to: '/rapportera', label: 'nav.reportIncident', visible: (me) => holds(me, 'incidents.report') },
  // Incidents and the lägesbild built from them: the map (org-scoped), then the municipality's weekly view and reports.
  { to: '/handelser', label: 'nav.incidents', visible: (me) => holds(me, 'incidents.read') || holds(me, 'incidents.manage') },
  { to: '/lagesbild', label: 'nav.lagesbild', visible: (me) => holds(me, 'incidents.read') || holds(me, 'incidents.manage') },
  // Lägesbild as a routine and a document (issue #6 point 6): the municipality's, so on the municipality itself.
  { to: '/lagesbild/vecka', label: 'lagesbild.navWeekly', visible: (me) => holdsAtRoot(me, 'incidents.read') || holdsAtRoot(me, 'incidents.manage') },
  { to: '/lagesbild/rapporter', label: 'lagesbild.navReports', visible: (me) => holdsAtRoot(me, 'incidents.read') || holdsAtRoot(me, 'incidents.manage') },
  // Cases (issue #5): the remisses sent to us to answer, the registry, and the governing documents decided there
  // (next to the programs, which are governing documents too).
  { to: '/remisser', label: 'nav.remissInbox', visible: (me) => holds(me, 'cases.handle') },
  { to: '/arenden', label: 'nav.cases', visible: (me) => holds(me, 'cases.read') },
  { to: '/styrdokument', label: 'nav.documents', visible: (me) => holds(me, 'documents.read') },
  // Partner sharing (issue #10): what is shared with a partner, and the coordinator's overview of all shares.
  { to: '/delat', label: 'nav.sharedWithUs', visible: (me) => holds(me, 'shares.view') },
  { to: '/delningar', label: 'nav.shares', visible: (me) => holds(me, 'shares.manage') },
  { to: '/program', label: 'nav.programs', visible: (me) => holds(me, 'program.read') },
  { to: '/uppfoljning', label: 'nav.followUp', visible: (me) => holds(me, 'program.read') },
  { to: '/organisationer', label: 'nav.organisations', visible: (me) => holds(me, 'organisations.read') },
  { to: '/anvandare', label: 'nav.users', visible: (me) => holds(me, 'users.read') },
  { to: '/logg', label: 'nav.audit', visible: (me) => holdsAtRoot(me, 'audit.read') },
  { to: '/utkorg', label: 'nav.outbox', visible: (me) => holdsAtRoot(me, 'mail.read') },
  { to: '/jobb', label: 'nav.jobs', visible: (me) => holdsAtRoot(me, 'jobs.read') },
];
