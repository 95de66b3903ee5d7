import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
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

/**
 * The organisation tree, cached per app instance (per process) and checked against the database on every
 * request without a round trip of its own.
 *
 * A trigger on `organisations` raises the one number in `org_tree_version` on every change (migration
 * 0012_org_tree_version). The session lookup reads that number in the same statement (users.repo
 * `findSessionWithActor`; a session kept in memory keeps it, and a change to the tree, announced by the database,
 * empties that cache: users/session-cache.ts), and the auth plugin keeps it on the request. While the cached tree has that
 * version, every `loadOrgTree` of the request returns it; otherwise the tree is read once, with its version
 * in the same statement, and kept. So a change made through any instance on the same database reaches every
 * other instance on its next request, and a request makes no extra round trip when nothing changed (at most one,
 * the session, when its session is not kept).
 *
 * Only trees read outside a transaction are cached (a transaction's own, uncommitted change must not be
 * taken for a committed version). Code that changes organisations and then needs the tree inside the same
 * transaction asks for it `fresh`. Outside a request (jobs, scripts, tests calling services) the tree is read
 * each time, as before.
 */
export interface OrgTreeCache {
  entry?: { version: number; tree: OrgTree };
}

/** The request's view of the cache: the version read with its session, and the tree once it has one. */
interface TreeScope {
  cache: OrgTreeCache;
  version?: number;
  tree?: OrgTree;
}

const treeScope = new AsyncLocalStorage<TreeScope>();

type TreeRow = { version: number | null; id: string | null; parent_id: string | null; type: string | null };

/** The tree and its version, read in one statement (so the two belong together). */
async function readTree(db: Executor): Promise<{ version: number | undefined; tree: OrgTree }> {
  const rows = await db.execute<TreeRow>(
    sql`select v.version, o.id, o.parent_id, o.type
        from (select (select version from org_tree_version) as version) v
        left join organisations o on true`,
  );
  const version = rows.rows[0]?.version;
  return {
    version: version === null || version === undefined ? undefined : Number(version),
    tree: buildOrgTree(rows.rows.filter((r) => r.id !== null).map((r) => ({ id: r.id!, parentId: r.parent_id, type: r.type! }))),
  };
}

async function treeIn(scope: TreeScope, db: Executor): Promise<OrgTree> {
  const cached = scope.cache.entry;
  if (scope.version !== undefined && cached?.version === scope.version) return cached.tree;
  if (scope.tree) return scope.tree;
  const loaded = await readTree(db);
  if (loaded.version !== undefined && !(db instanceof PgTransaction)) scope.cache.entry = { version: loaded.version, tree: loaded.tree };
  scope.tree = loaded.tree;
  return loaded.tree;
}

/**
 * Loads the organisation tree (see buildOrgTree in src/shared/access.ts): within a request, the app's cached
 * tree when its version is the one read with the session. `fresh`: read it now, on this executor (inside a
 * transaction that has just changed organisations).
 */
export async function loadOrgTree(db: Executor, opts: { fresh?: boolean } = {}): Promise<OrgTree> {
  const scope = opts.fresh ? undefined : treeScope.getStore();
  if (scope) return treeIn(scope, db);
  return (await readTree(db)).tree;
}

/** The tree for this request (the cached one when current), kept on the request. */
export async function orgTreeOf(req: FastifyRequest, db: Executor): Promise<OrgTree> {
  req.orgTree ??= req.treeScope ? await treeIn(req.treeScope, db) : await loadOrgTree(db);
  return req.orgTree;
}

/**
 * Gives every request of this app a scope on one per-app tree cache. The auth plugin sets the version it read
 * with the session (`setOrgTreeVersion`); the scope is entered again before the handlers so that services
 * calling `loadOrgTree(db)` find it (request bodies are parsed from stream events, outside onRequest's context).
 * Register before the authentication and policy plugins.
 */
export function registerOrgTreeCache(app: FastifyInstance, cache: OrgTreeCache = {}) {
  app.addHook('onRequest', (req, _reply, done) => {
    req.treeScope = { cache };
    done();
  });
  app.addHook('preHandler', (req, _reply, done) => {
    if (req.treeScope) treeScope.run(req.treeScope, done);
    else done();
  });
  return cache;
}

/** The organisation tree version read with the request's session. */
export function setOrgTreeVersion(req: FastifyRequest, version: number | undefined) {
  if (req.treeScope) req.treeScope.version = version;
}

declare module 'fastify' {
  interface FastifyRequest {
    actor?: import('./policies.ts').Actor;
    orgTree?: OrgTree;
    treeScope?: TreeScope;
  }
}
