import { createRootRouteWithContext, createRoute, createRouter, lazyRouteComponent, redirect } from '@tanstack/react-router';
import type { QueryClient } from '@tanstack/react-query';
import { Shell } from './components/Shell.tsx';
import { meQuery } from './session.ts';
import { SignInPage } from './routes/SignIn.tsx';
import { SetPasswordPage } from './routes/SetPassword.tsx';
import { StartPage } from './routes/Start.tsx';
import { OrganisationsPage } from './routes/Organisations.tsx';
import { UsersPage } from './routes/Users.tsx';
import { AuditPage } from './routes/Audit.tsx';
import { OutboxPage } from './routes/Outbox.tsx';
import { JobsPage } from './routes/Jobs.tsx';
import { AccountPage } from './routes/Account.tsx';
import { NotFoundPage, RouteError } from './routes/NotFound.tsx';
import { ProgramsPage } from './routes/Programs.tsx';
import { ProgramPage } from './routes/Program.tsx';
import { ActionPage } from './routes/Action.tsx';
import { FollowUpPage, RoundPage } from './routes/FollowUp.tsx';
import { FollowUpPrintPage } from './routes/FollowUpPrint.tsx';
import { MyTasksPage } from './routes/MyTasks.tsx';
import { IncidentReportPage } from './routes/IncidentReport.tsx';
import { IncidentPage, IncidentsPage } from './routes/Incidents.tsx';
import { LagesbildReportPage, LagesbildReportsPage, WeeklyLagesbildPage } from './routes/Lagesbild.tsx';
import { validateLagesbildSearch } from './routes/lagesbild-search.ts';
// cases: registry
import { CasesPage } from './routes/Cases.tsx';
import { CasePage } from './routes/Case.tsx';
// cases: decisions (issue #5)
import { DecisionsPage } from './routes/cases/Decisions.tsx';
// remiss
import { RemissInboxPage, RemissPage } from './routes/cases/Remiss.tsx';
import { RemissReplyPage } from './routes/RemissReply.tsx';
import { GoverningDocumentsPage } from './routes/GoverningDocuments.tsx';

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
  component: SetPasswordPage,
});

// remiss: the personal reply link works without signing in.
const remissReplyRoute = createRoute({ getParentRoute: () => rootRoute, path: '/remissvar/$token', component: RemissReplyPage });

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
const organisationsRoute = createRoute({ getParentRoute: () => appRoute, path: '/organisationer', component: OrganisationsPage });
const usersRoute = createRoute({ getParentRoute: () => appRoute, path: '/anvandare', component: UsersPage });
const auditRoute = createRoute({ getParentRoute: () => appRoute, path: '/logg', component: AuditPage });
const outboxRoute = createRoute({ getParentRoute: () => appRoute, path: '/utkorg', component: OutboxPage });
const jobsRoute = createRoute({ getParentRoute: () => appRoute, path: '/jobb', component: JobsPage });
const accountRoute = createRoute({ getParentRoute: () => appRoute, path: '/konto', component: AccountPage });
const programsRoute = createRoute({ getParentRoute: () => appRoute, path: '/program', component: ProgramsPage });
const programRoute = createRoute({ getParentRoute: () => appRoute, path: '/program/$id', component: ProgramPage });
const actionRoute = createRoute({ getParentRoute: () => appRoute, path: '/atgarder/$id', component: ActionPage });
const followUpRoute = createRoute({ getParentRoute: () => appRoute, path: '/uppfoljning', component: FollowUpPage });
const roundRoute = createRoute({ getParentRoute: () => appRoute, path: '/uppfoljning/$roundId', component: RoundPage });
const printRoute = createRoute({ getParentRoute: () => appRoute, path: '/uppfoljning/$roundId/utskrift', component: FollowUpPrintPage });
const myTasksRoute = createRoute({ getParentRoute: () => appRoute, path: '/mina-uppgifter', component: MyTasksPage });
const reportIncidentRoute = createRoute({ getParentRoute: () => appRoute, path: '/rapportera', component: IncidentReportPage });
const incidentsRoute = createRoute({ getParentRoute: () => appRoute, path: '/handelser', component: IncidentsPage });
const incidentRoute = createRoute({ getParentRoute: () => appRoute, path: '/handelser/$id', component: IncidentPage });
// Lägesbild as a routine and a document (issue #6 point 6); the map page /lagesbild is its own route.
const weeklyLagesbildRoute = createRoute({ getParentRoute: () => appRoute, path: '/lagesbild/vecka', component: WeeklyLagesbildPage });
const lagesbildReportsRoute = createRoute({ getParentRoute: () => appRoute, path: '/lagesbild/rapporter', component: LagesbildReportsPage });
const lagesbildReportRoute = createRoute({ getParentRoute: () => appRoute, path: '/lagesbild/rapporter/$id', component: LagesbildReportPage });
const lagesbildRoute = createRoute({ getParentRoute: () => appRoute, path: '/lagesbild', validateSearch: validateLagesbildSearch,
  // Leaflet is large: its own chunk, loaded with the page.
  component: lazyRouteComponent(() => import('./routes/LagesbildMap.tsx'), 'LagesbildPage'),
});
// cases: registry
const casesRoute = createRoute({ getParentRoute: () => appRoute, path: '/arenden', component: CasesPage });
const caseRoute = createRoute({ getParentRoute: () => appRoute, path: '/arenden/$id', component: CasePage });
// cases: decisions (issue #5)
const caseDecisionsRoute = createRoute({ getParentRoute: () => appRoute, path: '/arenden/$id/beslut', component: DecisionsPage });
// remiss
const remissRoute = createRoute({ getParentRoute: () => appRoute, path: '/arenden/$id/remiss', component: RemissPage });
const remissInboxRoute = createRoute({ getParentRoute: () => appRoute, path: '/remisser', component: RemissInboxPage });
const governingDocumentsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/styrdokument',
  // ?dokument=<id> opens the document's details (the link in review reminders).
  validateSearch: (s: Record<string, unknown>): { dokument?: string } => ({ dokument: str(s.dokument) }),
  component: GoverningDocumentsPage,
});

const routeTree = rootRoute.addChildren([
  signInRoute,
  setPasswordRoute,
  remissReplyRoute,
  appRoute.addChildren([
    startRoute,
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
  });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof makeRouter>;
  }
}
