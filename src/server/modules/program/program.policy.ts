import type { Policy } from '../../lib/policies.ts';

/**
 * Who may do what in the programme module. Routes gate on holding the action somewhere; the service
 * checks the action on the programme's or report's organisation (invisible → 404, not allowed → 403).
 */
export const programPolicies = {
  /** Programmes, focus areas, actions, the roll-up and the follow-up report. */
  read: { action: 'program.read' },
  /** Creating and changing programmes, goals, actions, the plan import. */
  manage: { action: 'program.manage' },
  /** Opening and closing follow-up rounds. */
  followUp: { action: 'followup.manage' },
  /** Filling in and submitting an organisation's follow-up report. */
  reporting: { action: 'followup.report' },
} as const satisfies Record<string, Policy>;
