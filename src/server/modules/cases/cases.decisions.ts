import type { Db } from '../../db/client.ts';
import { todayInStockholm } from '../../lib/time.ts';
import { createAssignmentsPart } from './cases.decisions.assignments.ts';
import { createDecisionsPart } from './cases.decisions.clauses.ts';
import { createMeetingsPart } from './cases.decisions.meetings.ts';
import { createMinutesPart } from './cases.decisions.minutes.ts';

export { mayHandle } from './cases.core.ts';
export type { ClauseRow, DecisionRow } from './cases.decisions.repo.ts';
export { registerDecisionEffect, type ClauseEffect, type DecisionEffectContext, type DecisionEffectHandler } from './cases.decisions.effects.ts';

/**
 * The decision service, one facade over its parts by sub-domain: meetings (cases.decisions.meetings.ts),
 * decisions and their att-satser with marking them decided (cases.decisions.clauses.ts), and the
 * assignments a decided decision gives (cases.decisions.assignments.ts). The effect hook other modules
 * declare their att-sats effects with is cases.decisions.effects.ts; what the parts and dispatch share is
 * cases.decisions.shared.ts; the SQL is in the parts' repos. The routes use this facade.
 */
export function createDecisionService({ db, today = () => todayInStockholm() }: { db: Db; today?: () => string }) {
  const deps = { db, today };
  return {
    ...createMeetingsPart(deps),
    ...createMinutesPart(deps),
    ...createDecisionsPart(deps),
    ...createAssignmentsPart(deps),
  };
}

export type DecisionService = ReturnType<typeof createDecisionService>;
