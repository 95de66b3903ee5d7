import type { DecisionEffectContribution, ModuleDefinition, ModuleDeps } from '../../lib/module.ts';
import { createCaseService } from './cases.service.ts';
import { caseRoutes } from './cases.routes.ts';
import { createRegistrySearch, REGISTRY_SEARCH_PARTS, type SearchPart } from './cases.search.ts';
import { createDecisionService, registerDecisionEffect, type ClauseEffect, type DecisionEffectHandler } from './cases.decisions.ts';
import { createDispatchService } from './cases.dispatch.ts';
import { decisionRoutes } from './cases.decisions.routes.ts';
import { createRemissService } from './cases.remiss.ts';
import { remissRoutes } from './cases.remiss.routes.ts';
import { remissRemindJob } from './cases.remiss.jobs.ts';
import { remissCompilationExport } from './cases.remiss.report.ts';
import { remissMessages } from './cases.remiss.messages.ts';
import { seedRegistryDemo } from './cases.seed.ts';
import { seedDecisionsDemo } from './cases.decisions.seed.ts';
import { seedRemissDemo } from './cases.remiss.seed.ts';

export { proposeForDecision } from './cases.decisions.external.ts';

// What other modules may use (documents joins the registry search and decisions; the lägesbild report is put to a body with proposeForDecision). Who may see a case is the
// access core's rule (src/server/access), not this module's.
export type { SearchPart, DecisionEffectHandler };

type Effect = Exclude<ClauseEffect, 'none'>;

/** A decision effect, typed, for another module's `decisionEffects` (the boot loop registers it). */
export function decisionEffect(effect: Effect, handler: DecisionEffectHandler | DecisionEffectHandler['onDecided']): DecisionEffectContribution {
  return { effect, handler };
}

const installed = new Map<DecisionEffectContribution, { off: () => void; apps: number }>();

/**
 * Hands the decision effects the modules declare to the decisions hook; returns a function that removes
 * them. The hook is process-wide: an effect already installed by another live app (tests build several)
 * is counted, not added twice.
 */
export function installDecisionEffects(effects: readonly DecisionEffectContribution[]): () => void {
  for (const e of effects) {
    const known = installed.get(e);
    if (known) known.apps++;
    else installed.set(e, { off: registerDecisionEffect(e.effect as Effect, e.handler as DecisionEffectHandler), apps: 1 });
  }
  let done = false;
  return () => {
    if (done) return;
    done = true;
    for (const e of effects) {
      const known = installed.get(e);
      if (known && --known.apps === 0) {
        known.off();
        installed.delete(e);
      }
    }
  };
}

/** For tests of the hook itself: runs `fn` with these installed effects taken out, then puts them back. */
export async function withoutDecisionEffects<T>(effects: readonly DecisionEffectContribution[], fn: () => Promise<T>): Promise<T> {
  const out = effects.flatMap((e) => {
    const known = installed.get(e);
    return known ? [[e, known] as const] : [];
  });
  for (const [, known] of out) known.off();
  try {
    return await fn();
  } finally {
    for (const [e, known] of out) known.off = registerDecisionEffect(e.effect as Effect, e.handler as DecisionEffectHandler);
  }
}

/**
 * Cases: the registry (cases, records, search), decisions with their att-satser and dispatch, and remiss
 * rounds. Other modules add parts to the registry search (`searchParts`, from app.ts).
 */
export function casesModule({ db, files, config }: ModuleDeps, { searchParts = [] }: { searchParts?: SearchPart[] } = {}): ModuleDefinition {
  return {
    name: 'cases',
    routes(app) {
      caseRoutes(app, { cases: createCaseService({ db, files, ownSeries: config.REGISTRY_OWN_SERIES }), search: createRegistrySearch({ db, parts: [...REGISTRY_SEARCH_PARTS, ...searchParts] }) });
      decisionRoutes(app, { decisions: createDecisionService({ db }), dispatcher: createDispatchService({ db, files }) });
      remissRoutes(app, { remiss: createRemissService({ db, files, config }), publicRateLimit: config.REMISS_PUBLIC_RATE_LIMIT });
    },
    jobs: [remissRemindJob],
    exportKinds: [remissCompilationExport],
    messages: { sv: { remiss: remissMessages.sv }, en: { remiss: remissMessages.en } },
    seed: {
      // KS 2018/0316 from the memo: registered with its records, the KSAU § 48 remiss with every reply, the
      // KS § 333 referral back, and the proposal (draft) whose third att-sats, a proposal to KF, repeals the
      // strategy the documents module seeds — when KF decides it (after KS forwards its proposal), not at KS.
      after: ['documents'],
      async run({ db, orgs, users, handed }) {
        await db.transaction(async (tx) => {
          const ks = await seedRegistryDemo(tx, orgs);
          await seedDecisionsDemo(tx, { caseId: ks.caseId, orgs, createdBy: users.officer.id, repealDocumentId: handed.get('documents.strategyId') ?? null, adoptDocumentId: handed.get('documents.programId') ?? null });
          await seedRemissDemo(tx, { caseId: ks.caseId, orgs: Object.fromEntries(orgs), officerId: users.officer.id });
        });
      },
    },
  };
}
