import { registerDecisionEffect } from '../cases/cases.decisions.ts';
import { documentEffectHandler } from './documents.effects.ts';

/**
 * Wires the register to the decisions module's hook: when a decision with repeal / replace / adopt
 * att-satser is decided, each clause changes its document's status in the same transaction (and an
 * error refuses the decision). Registered once, from the composition root.
 */
let registrations: (() => void)[] = [];

export function registerDocumentEffects() {
  if (registrations.length) return;
  registrations = (['repeal', 'replace', 'adopt'] as const).map((effect) =>
    registerDecisionEffect(effect, async (tx, decision, clauses, context) => {
      for (const clause of clauses) await documentEffectHandler(tx, decision, clause, { actor: context.ctx.actor ?? null, requestId: context.ctx.requestId });
    }),
  );
}

/** Removes the registrations (a test of the hook itself registers handlers of its own). */
export function unregisterDocumentEffects() {
  for (const off of registrations) off();
  registrations = [];
}
