import { createRootRouteWithContext, createRoute, createRouter, lazyRouteComponent, redirect } from '@tanstack/react-router';
import type { QueryClient } from '@tanstack/react-query';
import { Shell } from './features/shell/components/Shell.tsx';
import { meQuery } from './session.ts';
import { SignInPage } from './features/auth/pages/SignIn.tsx';
import { StartPage } from './features/shell/pages/Start.tsx';
import { NotFoundPage, PageLoading, RouteError } from './features/shell/pages/NotFound.tsx';
import { validateLagesbildSearch } from './features/incidents/lagesbild-search.ts';

export interface RouterContext {
  queryClient: QueryClient;
}

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: Shell,
  notFoundComponent: NotFoundPage,
  errorComponent: RouteError,
});

const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/logga-in',
  validateSearch: (s: Record<string, unknown>): { redirect?: string; signedOut?: boolean; expired?: boolean } => ({
    redirect: str(s.redirect)?.startsWith('/') ? str(s.redirect) : undefined,
    signedOut: s.signedOut === true || s.signedOut === 'true' ? true : undefined,
    expired: s.expired === true || s.expired === 'true' ? true : undefined,
  }),
  beforeLoad: async ({ context }) => {
    const me = await context.queryClient.ensureQueryData(meQuery);
    if (me) throw redirect({ to: '/' });
  },
  component: SignInPage,
});

const setPasswordRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/satt-losenord',
  validateSearch: (s: Record<string, unknown>): { token?: string } => ({ token: str(s.token) }),
  component: lazyRouteComponent(() => import('./features/auth/pages/SetPassword.tsx'), 'SetPasswordPage'),
});

// remiss: the personal reply link works without signing in.
const remissReplyRoute = createRoute({ getParentRoute: () => rootRoute, path: '/remissvar/$token', component: lazyRouteComponent(() => import('./features/cases/pages/RemissReply.tsx'), 'RemissReplyPage') });

// The municipality's digital notice board (anslagstavla) is public: no sign-in.
const noticeBoardRoute = createRoute({ getParentRoute: () => rootRoute, path: '/anslagstavla', component: lazyRouteComponent(() => import('./features/cases/pages/Meetings.tsx'), 'NoticeBoardPage') });

/** Everything behind sign-in. */
const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'app',
  beforeLoad: async ({ context, location }) => {
    const me = await context.queryClient.ensureQueryData(meQuery);
    if (!me) throw redirect({ to: '/logga-in', search: { redirect: location.href === '/' ? undefined : location.href } });
  },
});

const startRoute = createRoute({ getParentRoute: () => appRoute, path: '/', component: StartPage });
const organisationsRoute = createRoute({ getParentRoute: () => appRoute, path: '/organisationer', component: lazyRouteComponent(() => import('./features/organisations/pages/Organisations.tsx'), 'OrganisationsPage') });
const usersRoute = createRoute({ getParentRoute: () => appRoute, path: '/anvandare', component: lazyRouteComponent(() => import('./features/users/pages/Users.tsx'), 'UsersPage') });
const auditRoute = createRoute({ getParentRoute: () => appRoute, path: '/logg', component: lazyRouteComponent(() => import('./features/admin/pages/Audit.tsx'), 'AuditPage') });
const outboxRoute = createRoute({ getParentRoute: () => appRoute, path: '/utkorg', component: lazyRouteComponent(() => import('./features/admin/pages/Outbox.tsx'), 'OutboxPage') });
const jobsRoute = createRoute({ getParentRoute: () => appRoute, path: '/jobb', component: lazyRouteComponent(() => import('./features/admin/pages/Jobs.tsx'), 'JobsPage') });
const accountRoute = createRoute({ getParentRoute: () => appRoute, path: '/konto', component: lazyRouteComponent(() => import('./features/auth/pages/Account.tsx'), 'AccountPage') });
const programsRoute = createRoute({ getParentRoute: () => appRoute, path: '/program', component: lazyRouteComponent(() => import('./features/program/pages/Programs.tsx'), 'ProgramsPage') });
const programRoute = createRoute({ getParentRoute: () => appRoute, path: '/program/$id', component: lazyRouteComponent(() => import('./features/program/pages/Program.tsx'), 'ProgramPage') });
const actionRoute = createRoute({ getParentRoute: () => appRoute, path: '/atgarder/$id', component: lazyRouteComponent(() => import('./features/program/pages/Action.tsx'), 'ActionPage') });
const followUpRoute = createRoute({ getParentRoute: () => appRoute, path: '/uppfoljning', component: lazyRouteComponent(() => import('./features/program/pages/FollowUp.tsx'), 'FollowUpPage') });
const roundRoute = createRoute({ getParentRoute: () => appRoute, path: '/uppfoljning/$roundId', component: lazyRouteComponent(() => import('./features/program/pages/FollowUp.tsx'), 'RoundPage') });
const printRoute = createRoute({ getParentRoute: () => appRoute, path: '/uppfoljning/$roundId/utskrift', component: lazyRouteComponent(() => import('./features/program/pages/FollowUpPrint.tsx'), 'FollowUpPrintPage') });
const notificationsRoute = createRoute({ getParentRoute: () => appRoute, path: '/aviseringar', component: lazyRouteComponent(() => import('./features/notifications/pages/Notifications.tsx'), 'NotificationsPage') });
const myTasksRoute = createRoute({ getParentRoute: () => appRoute, path: '/mina-uppgifter', component: lazyRouteComponent(() => import('./features/program/pages/MyTasks.tsx'), 'MyTasksPage') });
const reportIncidentRoute = createRoute({ getParentRoute: () => appRoute, path: '/rapportera', component: lazyRouteComponent(() => import('./features/incidents/pages/IncidentReport.tsx'), 'IncidentReportPage') });
const incidentsRoute = createRoute({ getParentRoute: () => appRoute, path: '/handelser', component: lazyRouteComponent(() => import('./features/incidents/pages/Incidents.tsx'), 'IncidentsPage') });
const incidentRoute = createRoute({ getParentRoute: () => appRoute, path: '/handelser/$id', component: lazyRouteComponent(() => import('./features/incidents/pages/Incidents.tsx'), 'IncidentPage') });
// Lägesbild as a routine and a document (issue #6 point 6); the map page /lagesbild is its own route.
const weeklyLagesbildRoute = createRoute({ getParentRoute: () => appRoute, path: '/lagesbild/vecka', component: lazyRouteComponent(() => import('./features/incidents/pages/Lagesbild.tsx'), 'WeeklyLagesbildPage') });
const lagesbildReportsRoute = createRoute({ getParentRoute: () => appRoute, path: '/lagesbild/rapporter', component: lazyRouteComponent(() => import('./features/incidents/pages/Lagesbild.tsx'), 'LagesbildReportsPage') });
const lagesbildReportRoute = createRoute({ getParentRoute: () => appRoute, path: '/lagesbild/rapporter/$id', component: lazyRouteComponent(() => import('./features/incidents/pages/Lagesbild.tsx'), 'LagesbildReportPage') });
const lagesbildRoute = createRoute({ getParentRoute: () => appRoute, path: '/lagesbild', validateSearch: validateLagesbildSearch,
  // Leaflet is large: its own chunk, loaded with the page.
  component: lazyRouteComponent(() => import('./features/incidents/pages/LagesbildMap.tsx'), 'LagesbildPage'),
});
// cases: registry
const casesRoute = createRoute({ getParentRoute: () => appRoute, path: '/arenden', component: lazyRouteComponent(() => import('./features/cases/pages/Cases.tsx'), 'CasesPage') });
const caseRoute = createRoute({ getParentRoute: () => appRoute, path: '/arenden/$id', component: lazyRouteComponent(() => import('./features/cases/pages/Case.tsx'), 'CasePage') });
// cases: decisions (issue #5)
const meetingsRoute = createRoute({ getParentRoute: () => appRoute, path: '/sammantraden', component: lazyRouteComponent(() => import('./features/cases/pages/Meetings.tsx'), 'MeetingsPage') });
const meetingRoute = createRoute({ getParentRoute: () => appRoute, path: '/sammantraden/$id', component: lazyRouteComponent(() => import('./features/cases/pages/Meetings.tsx'), 'MeetingPage') });
const caseDecisionsRoute = createRoute({ getParentRoute: () => appRoute, path: '/arenden/$id/beslut', component: lazyRouteComponent(() => import('./features/cases/pages/Decisions.tsx'), 'DecisionsPage') });
// remiss
const remissRoute = createRoute({ getParentRoute: () => appRoute, path: '/arenden/$id/remiss', component: lazyRouteComponent(() => import('./features/cases/pages/Remiss.tsx'), 'RemissPage') });
const remissInboxRoute = createRoute({ getParentRoute: () => appRoute, path: '/remisser', component: lazyRouteComponent(() => import('./features/cases/pages/Remiss.tsx'), 'RemissInboxPage') });
const governingDocumentsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/styrdokument',
  // ?dokument=<id> opens the document's details (the link in review reminders).
  validateSearch: (s: Record<string, unknown>): { dokument?: string } => ({ dokument: str(s.dokument) }),
  component: lazyRouteComponent(() => import('./features/documents/pages/GoverningDocuments.tsx'), 'GoverningDocumentsPage'),
});

// partner sharing (issue #10): the partner's "Delat med oss" and the coordinator's overview
const sharedWithUsRoute = createRoute({ getParentRoute: () => appRoute, path: '/delat', component: lazyRouteComponent(() => import('./features/shares/pages/SharedWithUs.tsx'), 'SharedWithUsPage') });
const sharedRecordRoute = createRoute({ getParentRoute: () => appRoute, path: '/delat/$id', component: lazyRouteComponent(() => import('./features/shares/pages/SharedWithUs.tsx'), 'SharedRecordPage') });
const sharesOverviewRoute = createRoute({ getParentRoute: () => appRoute, path: '/delningar', component: lazyRouteComponent(() => import('./features/shares/pages/SharesOverview.tsx'), 'SharesOverviewPage') });

const routeTree = rootRoute.addChildren([
  signInRoute,
  setPasswordRoute,
  remissReplyRoute,
  noticeBoardRoute,
  appRoute.addChildren([
    meetingsRoute,
    meetingRoute,
    startRoute,
    sharedWithUsRoute,
    sharedRecordRoute,
    sharesOverviewRoute,
    organisationsRoute,
    usersRoute,
    auditRoute,
    outboxRoute,
    jobsRoute,
    accountRoute,
    programsRoute,
    programRoute,
    actionRoute,
    followUpRoute,
    roundRoute,
    printRoute,
    myTasksRoute,
    notificationsRoute,
    reportIncidentRoute,
    incidentsRoute,
    incidentRoute,
    weeklyLagesbildRoute,
    lagesbildReportsRoute,
    lagesbildReportRoute,
    lagesbildRoute,
    // cases: registry
    casesRoute,
    caseRoute,
    caseDecisionsRoute,
    remissRoute,
    remissInboxRoute,
    governingDocumentsRoute,
  ]),
]);

export function makeRouter(queryClient: QueryClient) {
  return createRouter({
    routeTree,
    context: { queryClient },
    defaultPreload: 'intent',
    scrollRestoration: true,
    defaultNotFoundComponent: NotFoundPage,
    defaultErrorComponent: RouteError,
    // Each page is its own chunk: while one loads (slow network), say so.
    defaultPendingComponent: PageLoading,
  });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof makeRouter>;
  }
}
