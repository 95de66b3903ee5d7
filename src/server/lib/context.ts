import type { FastifyRequest } from 'fastify';
import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import type { RequestContext } from './audit.ts';
import { OrgTree } from './policies.ts';
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

/**
 * Loads the organisation tree. External roots (partners and federations without a parent) hang,
 * for authorization only, under the municipality, so that its administrators manage the register.
 */
export async function loadOrgTree(db: Executor): Promise<OrgTree> {
  const rows = await db.execute<{ id: string; parent_id: string | null; type: string }>(
    sql`select id, parent_id, type from organisations`,
  );
  const municipalities = rows.rows.filter((r) => r.type === 'municipality' && !r.parent_id);
  const root = municipalities.length === 1 ? municipalities[0].id : null;
  return new OrgTree(
    new Map(rows.rows.map((r) => [r.id, r.parent_id ?? (r.id === root ? null : root)])),
    root,
  );
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
