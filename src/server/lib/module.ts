import { sql } from 'drizzle-orm';
import type { Config } from '../config.ts';
import type { Database, Db } from '../db/client.ts';
import { EXPORT_JOB, type ExportKind, type ExportKindDefinition } from './exports.ts';
import type { FileStore } from './filestore.ts';
import type { App } from './http.ts';
import type { MessageBundle } from './i18n.ts';
import type { JobDefinition, JobHandler } from './jobs.ts';
import type { RecurringJob } from './job-runner.ts';

/**
 * What every module's factory receives: the shared infrastructure, nothing module-specific. A module
 * that needs another module's service imports that module's `index.ts` and builds or receives it there.
 */
export interface ModuleDeps {
  config: Config;
  database: Database;
  db: Db;
  /** Registry records, governing documents, remiss replies (content-addressed, checksummed). */
  files: FileStore;
  /**
   * The app's export kinds, collected from every module by the boot loop. Filled before the first
   * request (the loop collects before it registers routes), so read it when handling, not when building.
   */
  exportKinds: ReadonlyMap<string, ExportKind<unknown>>;
}

/**
 * A decision effect (an att-sats that changes something when decided). Declared by the module that owns
 * the target; the cases module's `decisionEffect(effect, handler)` builds it typed. The boot loop hands
 * it to the decisions hook; `handler` is opaque here because lib imports no module.
 */
export interface DecisionEffectContribution {
  effect: string;
  handler: unknown;
}

/** What a module's demo seed receives (src/server/seed/seed.ts has made the organisations and accounts). */
export interface SeedContext {
  db: Db;
  /** The demo organisations' ids by their key in lund-organisations.json (kf, ks, kk, son, …). */
  orgs: Map<string, string>;
  /** The demo accounts the seeds act as or name: the coordinator, a reporter, the case officer. */
  users: Record<'coordinator' | 'reporter' | 'officer', { id: string; email: string }>;
  /** What an earlier module's seed hands on to a later one, by name (e.g. "documents.strategyId"). */
  handed: Map<string, string>;
  /** Seed the long demo history too (years of example incidents; `npm start` does, tests ask for it). */
  history: boolean;
}

/** A module's demo data (SEED_DEMO): run once into an empty database, in the module list order. */
export interface ModuleSeed {
  /** Modules whose seed must run before this one (it refers to their data); the list order otherwise. */
  after?: readonly string[];
  run(ctx: SeedContext): Promise<unknown>;
}

/**
 * One module, as its `index.ts` declares it. Nothing registers by being imported: app.ts calls each
 * module's factory, collects what the modules contribute (collectContributions), checks it
 * (checkContributions), then calls `routes`.
 */
export interface ModuleDefinition {
  name: string;
  /** Adds the module's routes; each declares its policy (from the module's `.policy.ts`). */
  routes(app: App): void;
  /** Job types the module handles (defineJob). A type belongs to one module. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each definition has its own payload type
  jobs?: readonly JobDefinition<any>[];
  /** Generated files the module offers through /api/exports (defineExportKind). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each kind has its own parameter type
  exportKinds?: readonly ExportKindDefinition<any>[];
  /** Jobs the runner enqueues by itself on a schedule; each type must have a handler in some module. */
  recurring?: readonly RecurringJob[];
  /** Att-sats effects the module applies when a decision is decided. */
  decisionEffects?: readonly DecisionEffectContribution[];
  /** The module's own server texts (e-mails, reports), added to t() under their top-level keys. */
  messages?: MessageBundle;
  /** The module's demo data; src/server/seed/seed.ts runs the modules' seeds in order (seedOrder). */
  seed?: ModuleSeed;
}

export type ModuleFactory<M extends ModuleDefinition = ModuleDefinition> = (deps: ModuleDeps) => M;

/** What the modules of an app contribute, collected once at boot. */
export interface Contributions {
  messages: readonly { module: string; bundle: MessageBundle }[];
  jobHandlers: ReadonlyMap<string, JobHandler>;
  exportKinds: ReadonlyMap<string, ExportKind<unknown>>;
  recurring: readonly RecurringJob[];
  decisionEffects: readonly DecisionEffectContribution[];
}

/**
 * The modules' seeds in the module list order, each moved after the modules its `after` names. A seed
 * waiting for a module that has none or is not in the list stops, naming it.
 */
export function seedOrder(modules: readonly ModuleDefinition[]): { module: string; seed: ModuleSeed }[] {
  const names = new Set(modules.map((m) => m.name));
  const pending = modules.filter((m) => m.seed).map((m) => ({ module: m.name, seed: m.seed! }));
  for (const p of pending)
    for (const a of p.seed.after ?? [])
      if (!names.has(a) || !pending.some((q) => q.module === a)) throw new ModuleBootError(`The seed of module ${p.module} runs after module ${a}, which has no seed.`);
  const done = new Set<string>();
  const out: { module: string; seed: ModuleSeed }[] = [];
  while (pending.length) {
    const i = pending.findIndex((p) => (p.seed.after ?? []).every((a) => done.has(a)));
    if (i < 0) throw new ModuleBootError(`The seeds of modules ${pending.map((p) => p.module).join(', ')} wait for each other.`);
    const [next] = pending.splice(i, 1);
    done.add(next.module);
    out.push(next);
  }
  return out;
}

/** A boot that must not go on: the message names what is missing or doubled, for the operator. */
export class ModuleBootError extends Error {
  override name = 'ModuleBootError';
}

/**
 * Collects jobs, export kinds, recurring jobs and decision effects from the modules, in order. A job type
 * or export kind declared twice stops the boot, naming both modules.
 */
export function collectContributions(modules: readonly ModuleDefinition[], into?: { exportKinds: Map<string, ExportKind<unknown>> }): Contributions {
  const jobHandlers = new Map<string, JobHandler>();
  const exportKinds = into?.exportKinds ?? new Map<string, ExportKind<unknown>>();
  const jobOwner = new Map<string, string>();
  const kindOwner = new Map<string, string>();
  const recurring: RecurringJob[] = [];
  const decisionEffects: DecisionEffectContribution[] = [];
  const messages: { module: string; bundle: MessageBundle }[] = [];
  for (const m of modules) {
    for (const j of m.jobs ?? []) {
      if (jobOwner.has(j.type)) throw new ModuleBootError(`Job type "${j.type}" is declared by both module ${jobOwner.get(j.type)} and module ${m.name}.`);
      jobOwner.set(j.type, m.name);
      jobHandlers.set(j.type, j.handler as JobHandler);
    }
    for (const k of m.exportKinds ?? []) {
      if (kindOwner.has(k.kind)) throw new ModuleBootError(`Export kind "${k.kind}" is declared by both module ${kindOwner.get(k.kind)} and module ${m.name}.`);
      kindOwner.set(k.kind, m.name);
      const { kind: _name, ...def } = k;
      exportKinds.set(k.kind, def as ExportKind<unknown>);
    }
    recurring.push(...(m.recurring ?? []));
    decisionEffects.push(...(m.decisionEffects ?? []));
    if (m.messages) messages.push({ module: m.name, bundle: m.messages });
  }
  return { jobHandlers, exportKinds, recurring, decisionEffects, messages };
}

/**
 * Stops the boot when work would be left without a handler: a recurring job whose type no module
 * handles, export kinds without the export job, and jobs or files waiting in the database (queued by an
 * earlier version, or by another process) whose job type or export kind no module declares.
 */
export async function checkContributions(c: Contributions, db: Db): Promise<void> {
  const missing: string[] = [];
  for (const r of c.recurring) if (!c.jobHandlers.has(r.type)) missing.push(`recurring job type "${r.type}" has no handler`);
  if (c.exportKinds.size && !c.jobHandlers.has(EXPORT_JOB)) missing.push(`export kinds are declared but no module handles the job type "${EXPORT_JOB}"`);
  const queued = await db.execute<{ type: string; n: number }>(
    sql`select type, count(*)::int as n from jobs where status in ('pending', 'running') group by type order by type`,
  );
  for (const row of queued.rows)
    if (!c.jobHandlers.has(row.type)) missing.push(`job type "${row.type}" has ${row.n} waiting job(s) in the queue but no handler`);
  const files = await db.execute<{ kind: string; n: number }>(
    sql`select kind, count(*)::int as n from export_files where status in ('pending', 'running') group by kind order by kind`,
  );
  for (const row of files.rows)
    if (!c.exportKinds.has(row.kind)) missing.push(`export kind "${row.kind}" has ${row.n} waiting file(s) but no module declares it`);
  if (missing.length)
    throw new ModuleBootError(
      `Trygg cannot start: ${missing.join('; ')}. Add the module that handles it to MODULES in src/server/app.ts, or remove the waiting rows if that work is no longer wanted.`,
    );
}
