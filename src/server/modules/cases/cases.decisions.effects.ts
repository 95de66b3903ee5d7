import type { Executor } from '../../db/client.ts';
import type { RequestContext } from '../../lib/audit.ts';
import { AppError } from '../../lib/errors.ts';
import type { ClauseRow, DecisionRow } from './cases.decisions.repo.ts';

/**
 * Effects of a decided decision: the hook other modules register with (repeal, replace, adopt; the
 * documents module declares them and the boot loop installs them through the module's index.ts).
 */

export type ClauseEffect = 'none' | 'assignment' | 'repeal' | 'replace' | 'adopt' | 'adopt_lagesbild';

/** What a handler learns besides the decision and its clauses. */
export interface DecisionEffectContext {
  /** Who marked the decision decided, for the handler's own audit entries. */
  ctx: RequestContext;
  /** The case the decision belongs to. */
  caseId: string;
  registryNumber: string;
  /** "KS 2019-12-04 § 333": the decision as it is cited. */
  reference: string;
}

/**
 * A module's handling of one att-sats effect (repeal, replace, adopt; the documents module registers
 * these). Both functions run inside the transaction that marks the decision decided: throw an
 * AppError to refuse the decision (nothing is saved), return to let it stand.
 */
export interface DecisionEffectHandler {
  /**
   * Called once per decided decision with the clauses that carry this handler's effect (in order).
   * Use only `tx`. Example (documents module): set each clause.documentId's status to 'upphävd' with
   * a link to decision.id.
   */
  onDecided(tx: Executor, decision: DecisionRow, clauses: ClauseRow[], context: DecisionEffectContext): Promise<void> | void;
  /**
   * Optional check before anything is saved, e.g. that clause.documentId exists in the register.
   * Return field problems (path like `clauses.2.documentId`, message an error code); empty = fine.
   */
  validate?(tx: Executor, decision: DecisionRow, clauses: ClauseRow[]): Promise<{ path: string; message: string }[]> | { path: string; message: string }[];
}

const effectHandlers = new Map<ClauseEffect, DecisionEffectHandler[]>();

/**
 * Registers a handler for an att-sats effect ('repeal' | 'replace' | 'adopt'; 'assignment' is built in
 * but may have extra handlers too). Call it at the top level of the module that owns the effect's target.
 * Returns a function that removes the registration (for tests).
 */
export function registerDecisionEffect(effect: Exclude<ClauseEffect, 'none'>, handler: DecisionEffectHandler | DecisionEffectHandler['onDecided']): () => void {
  const h: DecisionEffectHandler = typeof handler === 'function' ? { onDecided: handler } : handler;
  const list = effectHandlers.get(effect) ?? [];
  list.push(h);
  effectHandlers.set(effect, list);
  return () => {
    const i = list.indexOf(h);
    if (i >= 0) list.splice(i, 1);
  };
}

/** The decision's clauses grouped by their effect, in order. */
export function clausesByEffect(clauses: ClauseRow[]) {
  const byEffect = new Map<ClauseEffect, ClauseRow[]>();
  for (const k of clauses) byEffect.set(k.effect as ClauseEffect, [...(byEffect.get(k.effect as ClauseEffect) ?? []), k]);
  return byEffect;
}

/** Every registered handler's check; the first one with problems refuses the decision. */
export async function validateEffects(tx: Executor, decided: DecisionRow, byEffect: Map<ClauseEffect, ClauseRow[]>) {
  for (const [effect, list] of byEffect) {
    for (const h of effectHandlers.get(effect) ?? []) {
      const found = (await h.validate?.(tx, decided, list)) ?? [];
      if (found.length) throw new AppError('VALIDATION_FAILED', found);
    }
  }
}

/** Runs every registered handler on its clauses. */
export async function applyEffects(tx: Executor, decided: DecisionRow, byEffect: Map<ClauseEffect, ClauseRow[]>, context: DecisionEffectContext) {
  for (const [effect, list] of byEffect) for (const h of effectHandlers.get(effect) ?? []) await h.onDecided(tx, decided, list, context);
}
