import { eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db, Executor } from '../db/client.ts';
import { exportFiles } from '../db/schema/index.ts';
import { loadOrgTree } from './context.ts';
import { AppError } from './errors.ts';
import { ERROR_STATUS, type ErrorCode } from '../../shared/errors.ts';
import { CONTENT_TYPE_OF } from './uploads.ts';
import type { Locale } from './i18n.ts';
import { defineJob, enqueueJob, PermanentJobError, type JobDefinition } from './jobs.ts';
import type { Actor, OrgTree } from './policies.ts';

export const EXPORT_FORMATS = ['docx', 'pdf', 'xlsx', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportContext<P> {
  db: Db;
  params: P;
  actor: Actor;
  tree: OrgTree;
  locale: Locale;
  /** Share of the work done, 0–1: shown to the user while they wait. */
  progress(share: number): Promise<void>;
}

/**
 * A kind of generated file. A module defines its kinds (defineExportKind) and lists them in its `index.ts`;
 * the boot loop (app.ts) collects them into the app's map of kinds.
 * `authorize` runs when the file is asked for and again when the job builds it (rights may have changed).
 */
export interface ExportKind<P> {
  params: z.ZodType<P>;
  formats: readonly ExportFormat[];
  authorize(ex: Executor, actor: Actor, tree: OrgTree, params: P): Promise<void>;
  build(ctx: ExportContext<P>, format: ExportFormat): Promise<{ filename: string; body: Buffer }>;
}

/** An export kind with its name, as a module lists it in its `index.ts` (`exportKinds: [...]`). */
export interface ExportKindDefinition<P = unknown> extends ExportKind<P> {
  kind: string;
}
/** The app's export kinds by name, collected by the boot loop from every module. */
export type ExportKinds = ReadonlyMap<string, ExportKind<unknown>>;

export function defineExportKind<P>(kind: string, def: ExportKind<P>): ExportKindDefinition<P> {
  return { kind, ...def };
}

export const EXPORT_JOB = 'export.generate';

/** Checks and queues a file for `actor`; the job builds it. */
export async function requestExport(db: Db, kinds: ExportKinds, actor: Actor, input: { kind: string; format: ExportFormat; params: unknown }) {
  const def = kinds.get(input.kind);
  if (!def) throw new AppError('VALIDATION_FAILED', [{ path: 'kind', message: 'ENUM' }]);
  if (!def.formats.includes(input.format)) throw new AppError('VALIDATION_FAILED', [{ path: 'format', message: 'ENUM' }]);
  const parsed = def.params.safeParse(input.params ?? {});
  if (!parsed.success) {
    // A refinement may name the answer's code (PERIOD_TOO_LONG), as on the routes (plugins/errors.ts).
    const named = parsed.error.issues.map((i) => (i as { params?: { code?: string } }).params?.code).find((c) => !!c && c in ERROR_STATUS) as ErrorCode | undefined;
    throw new AppError(named ?? 'VALIDATION_FAILED', parsed.error.issues.map((i) => ({ path: ['params', ...i.path].join('.'), message: 'INVALID' })));
  }
  return db.transaction(async (tx) => {
    await def.authorize(tx, actor, await loadOrgTree(tx), parsed.data);
    const [row] = await tx.insert(exportFiles).values({ kind: input.kind, format: input.format, params: parsed.data as object, requestedBy: actor.id }).returning();
    const jobId = await enqueueJob(tx, { type: EXPORT_JOB, payload: { exportId: row.id }, maxAttempts: 2 });
    await tx.update(exportFiles).set({ jobId }).where(eq(exportFiles.id, row.id));
    return { ...row, jobId };
  });
}

/** The requester's own export, without its content; 404 for anyone else. */
export async function exportStatus(db: Executor, actor: Actor, id: string) {
  const [row] = await db
    .select({
      id: exportFiles.id,
      kind: exportFiles.kind,
      format: exportFiles.format,
      status: exportFiles.status,
      progress: exportFiles.progress,
      filename: exportFiles.filename,
      size: exportFiles.size,
      error: exportFiles.error,
      requestedBy: exportFiles.requestedBy,
      createdAt: exportFiles.createdAt,
      finishedAt: exportFiles.finishedAt,
    })
    .from(exportFiles)
    .where(eq(exportFiles.id, id));
  if (!row || row.requestedBy !== actor.id) throw new AppError('EXPORT_NOT_FOUND');
  return row;
}

export async function exportContent(db: Executor, actor: Actor, id: string) {
  const [row] = await db
    .select({ requestedBy: exportFiles.requestedBy, status: exportFiles.status, content: exportFiles.content, contentType: exportFiles.contentType, filename: exportFiles.filename })
    .from(exportFiles)
    .where(eq(exportFiles.id, id));
  if (!row || row.requestedBy !== actor.id) throw new AppError('EXPORT_NOT_FOUND');
  if (row.status !== 'done') throw new AppError('EXPORT_NOT_READY');
  return row as { content: Buffer; contentType: string; filename: string };
}

/**
 * The job that builds a requested file. The exports module declares it with the app's kinds and a way
 * to load the requester as an actor (the users module's, passed in: lib imports no module).
 */
export function createExportJob(kinds: ExportKinds, actorById: (db: Db, id: string) => Promise<(Actor & { locale: Locale }) | undefined>): JobDefinition<{ exportId: string }> {
  return defineJob<{ exportId: string }>(EXPORT_JOB, async ({ payload, db, reportProgress, isLastAttempt }) => {
    const [row] = await db.select().from(exportFiles).where(eq(exportFiles.id, String(payload?.exportId)));
    if (!row) throw new PermanentJobError('export row missing');
    const def = kinds.get(row.kind);
    if (!def) throw new PermanentJobError(`unknown export kind ${row.kind}`);
    const fail = async (message: string) => {
      await db.update(exportFiles).set({ status: 'failed', error: message, finishedAt: new Date() }).where(eq(exportFiles.id, row.id));
    };
    const actor = await actorById(db, row.requestedBy);
    if (!actor) {
      await fail('REQUESTER_INACTIVE');
      throw new PermanentJobError('requester inactive');
    }
    await db.update(exportFiles).set({ status: 'running', progress: 0 }).where(eq(exportFiles.id, row.id));
    try {
      const tree = await loadOrgTree(db);
      const params = def.params.parse(row.params);
      await def.authorize(db, actor, tree, params);
      let last = -1;
      const progress = async (share: number) => {
        const pct = Math.max(0, Math.min(99, Math.floor(share * 100)));
        if (pct === last) return;
        last = pct;
        await reportProgress(pct);
        await db.update(exportFiles).set({ progress: pct }).where(eq(exportFiles.id, row.id));
      };
      const out = await def.build({ db, params, actor, tree, locale: actor.locale, progress }, row.format as ExportFormat);
      await db
        .update(exportFiles)
        .set({ status: 'done', progress: 100, filename: out.filename, contentType: CONTENT_TYPE_OF[row.format as ExportFormat], content: out.body, size: out.body.length, finishedAt: new Date() })
        .where(eq(exportFiles.id, row.id));
      return { size: out.body.length };
    } catch (err) {
      const code = err instanceof AppError ? err.code : 'INTERNAL';
      if (err instanceof AppError || isLastAttempt) await fail(code);
      if (err instanceof AppError) throw new PermanentJobError(code);
      throw err;
    }
  });
}

/** Exports are kept for a week; the maintenance job calls this. */
export async function purgeOldExports(db: Executor) {
  const r = await db.execute(sql`delete from export_files where created_at < now() - interval '7 days'`);
  return r.rowCount ?? 0;
}
