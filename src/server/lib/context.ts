import type { FastifyRequest } from 'fastify';
import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import type { RequestContext } from './audit.ts';
import { buildOrgTree, type OrgTree } from '../../shared/access.ts';
import { AppError } from './errors.ts';

/** The request's actor, request id and client address, as services want them. */
export function contextOf(req: FastifyRequest): RequestContext {
  return {
    actor: req.actor ? { id: req.actor.id, name: req.actor.name } : undefined,
    requestId: req.id,
    ip: req.ip,
  };
}

export function requireActor(req: FastifyRequest) {
  if (!req.actor) throw new AppError('UNAUTHENTICATED');
  return req.actor;
}

/** Loads the organisation tree (see buildOrgTree in src/shared/access.ts). */
export async function loadOrgTree(db: Executor): Promise<OrgTree> {
  const rows = await db.execute<{ id: string; parent_id: string | null; type: string }>(
    sql`select id, parent_id, type from organisations`,
  );
  return buildOrgTree(rows.rows.map((r) => ({ id: r.id, parentId: r.parent_id, type: r.type })));
}

/** The tree, loaded at most once per request. */
export async function orgTreeOf(req: FastifyRequest, db: Executor): Promise<OrgTree> {
  req.orgTree ??= await loadOrgTree(db);
  return req.orgTree;
}

declare module 'fastify' {
  interface FastifyRequest {
    actor?: import('./policies.ts').Actor;
    orgTree?: OrgTree;
  }
}
