import { decisionEffect } from '../cases/index.ts';
import { documentEffectHandler } from './documents.effects.ts';

/**
 * The register's answer to the decisions module's hook: when a decision with repeal / replace / adopt
 * att-satser is decided, each clause changes its document's status in the same transaction (and an
 * error refuses the decision). Declared in the module's index.ts; the boot loop registers it.
 */
export const documentDecisionEffects = (['repeal', 'replace', 'adopt'] as const).map((effect) =>
  decisionEffect(effect, async (tx, decision, clauses, context) => {
    for (const clause of clauses) await documentEffectHandler(tx, decision, clause, { actor: context.ctx.actor ?? null, requestId: context.ctx.requestId });
  }),
);
