import { sql } from 'drizzle-orm';
import type { Db, Executor } from '../../db/client.ts';
import { AppError } from '../../lib/errors.ts';
import { can, scopeOf, type Actor, type OrgTree } from '../../lib/policies.ts';
import { programsRepo, type ProgramRow } from './program.programs.repo.ts';
import { todayInStockholm } from '../../lib/time.ts';

/**
 * What the parts of the programme service share: the deps each part is built with, and the checks they
 * all make (the programme exists, the actor may act on an organisation, which actions the actor sees).
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

/** undefined = the actor sees every action of the program (holds program.read on its owner); else the organisations whose actions are visible. */
export function visibility(actor: Actor, program: Pick<ProgramRow, 'ownerOrganisationId'> | undefined, tree: OrgTree): string[] | undefined {
  if (program && can(actor, 'program.read', program.ownerOrganisationId, tree)) return undefined;
  if (!program && tree.rootId && can(actor, 'program.read', tree.rootId, tree)) return undefined;
  return scopeOf(actor, 'program.read', tree);
}

export async function requireOrganisation(ex: Executor, tree: OrgTree, id: string, path: string) {
  if (!tree.has(id)) throw new AppError('VALIDATION_FAILED', [{ path, message: 'ORGANISATION_NOT_FOUND' }]);
  const r = await ex.execute<{ active: boolean }>(sqlActive(id));
  if (!r.rows[0]?.active) throw new AppError('VALIDATION_FAILED', [{ path, message: 'ORGANISATION_INACTIVE' }]);
}

const sqlActive = (id: string) => sql`select active from organisations where id = ${id}`;
