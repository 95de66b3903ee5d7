import { sql } from 'drizzle-orm';
import type { Db, Executor } from '../../db/client.ts';
import { AppError } from '../../lib/errors.ts';
import { can, type Actor, type OrgTree } from '../../lib/policies.ts';
import { programsRepo } from './program.programs.repo.ts';
import { todayInStockholm } from '../../lib/time.ts';

/**
 * What the parts of the programme service share: the deps each part is built with, and the checks they
 * all make (the programme exists, the actor may act on an organisation). Which actions the actor sees is the
 * access core's rule (actionVisibleSql).
 */
export interface ProgramPartDeps {
  db: Db;
  /** Today in Stockholm ("YYYY-MM-DD"); tests pass a fixed date. */
  now: () => string;
}

/** Today in Stockholm: an action's expected progress and a round's deadline follow the Swedish calendar. */
export const today = () => todayInStockholm();
/** Files per report; each at most ATTACHMENT_MAX_BYTES (the route's upload limit). */
export const MAX_ATTACHMENTS = 10;
export const ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;
export const num = (v: string | null) => (v === null ? null : Number(v));

export async function programOrThrow(ex: Executor, id: string) {
  const p = await programsRepo.findProgram(ex, id);
  if (!p) throw new AppError('PROGRAM_NOT_FOUND');
  return p;
}

export function requireOn(actor: Actor, action: Parameters<typeof can>[1], orgId: string, tree: OrgTree) {
  if (!can(actor, action, orgId, tree)) throw new AppError('FORBIDDEN');
}

export async function requireOrganisation(ex: Executor, tree: OrgTree, id: string, path: string) {
  if (!tree.has(id)) throw new AppError('VALIDATION_FAILED', [{ path, message: 'ORGANISATION_NOT_FOUND' }]);
  const r = await ex.execute<{ active: boolean }>(sqlActive(id));
  if (!r.rows[0]?.active) throw new AppError('VALIDATION_FAILED', [{ path, message: 'ORGANISATION_INACTIVE' }]);
}

const sqlActive = (id: string) => sql`select active from organisations where id = ${id}`;

/**
 * A follow-up report as the council may see it: a submitted report whole; any other (not started, a draft,
 * returned for rework) only as missing, without the organisation's unsent texts and figures.
 */
export function asSubmittedOnly<R extends { state: string; actionStatus?: unknown; progress?: unknown; done?: unknown; nextSteps?: unknown; risks?: unknown }>(r: R): R {
  return r.state === 'submitted' ? r : { ...r, actionStatus: null, progress: null, done: null, nextSteps: null, risks: null };
}
