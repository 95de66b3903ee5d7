import type { Policy } from '../../lib/policies.ts';

/**
 * Who may do what with cases, decisions and remiss. Routes gate on holding the action somewhere; the
 * services check the case's organisations (invisible → 404, visible but not writable → 403) and filter
 * lists and search in SQL. Record-level access (secrecy, shares) is the access core's (src/server/access).
 */
export const casePolicies = {
  reading: { action: 'cases.read' },
  registering: { action: 'cases.register' },
  /** Writing in a case: registrars and handlers; the service decides per case. */
  writing: { action: 'cases.read' },
  /** Decisions, dispatch and remiss rounds: cases.handle on the case's organisation (checked by the service). */
  handling: { action: 'cases.handle' },
  /** A meeting's page and adjusting its minutes: the service admits readers of cases and the meeting's own chair and adjusters. */
  meetingParticipant: { authenticated: true },
  /** The digital notice board (anslagstavla): public, no sign-in; only bodies, dates and § numbers. */
  noticeBoard: { public: true },
  /** A remiss recipient's personal link (the token is the credential; rate-limited by the route). */
  remissLink: { public: true },
} as const satisfies Record<string, Policy>;
