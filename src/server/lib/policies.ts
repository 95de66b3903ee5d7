import type { FastifyRequest } from 'fastify';
import { ROLE_ACTIONS, type Action, type Role } from '../../shared/roles.ts';

export interface Grant {
  organisationId: string;
  role: Role;
  includeSubtree: boolean;
}

export interface Actor {
  id: string;
  name: string;
  email: string;
  sessionId: string;
  grants: Grant[];
}

/** The organisation tree as parent links; loaded once per request that needs it. */
export class OrgTree {
  private readonly children = new Map<string, string[]>();
  /** @param rootId the municipality: top-level changes to the register need rights on it. */
  constructor(
    private readonly parents: Map<string, string | null>,
    readonly rootId: string | null = null,
  ) {
    for (const [id, parent] of parents) {
      if (!parent) continue;
      const list = this.children.get(parent) ?? [];
      list.push(id);
      this.children.set(parent, list);
    }
  }
  has(id: string) {
    return this.parents.has(id);
  }
  /** The organisation itself and its ancestors, nearest first. Cycles are impossible by construction but guarded. */
  ancestorsOf(id: string): string[] {
    const out: string[] = [];
    let cur: string | null | undefined = id;
    while (cur && !out.includes(cur)) {
      out.push(cur);
      cur = this.parents.get(cur);
    }
    return out;
  }
  /** The organisation and every descendant. */
  subtreeOf(id: string): string[] {
    const out: string[] = [];
    const stack = [id];
    while (stack.length) {
      const cur = stack.pop()!;
      if (out.includes(cur)) continue;
      out.push(cur);
      stack.push(...(this.children.get(cur) ?? []));
    }
    return out;
  }
}

export function roleAllows(role: Role, action: Action): boolean {
  return ROLE_ACTIONS[role]?.includes(action) ?? false;
}

/** May the actor perform `action` on organisation `orgId`? Granted on the organisation itself, or on an ancestor with subtree. */
export function can(actor: Actor | undefined, action: Action, orgId: string, tree: OrgTree): boolean {
  if (!actor) return false;
  const ancestors = tree.ancestorsOf(orgId);
  return actor.grants.some(
    (g) =>
      roleAllows(g.role, action) &&
      (g.organisationId === orgId || (g.includeSubtree && ancestors.includes(g.organisationId))),
  );
}

/** Does the actor have `action` anywhere? (Gate for list endpoints, which then filter in SQL by scopeOf.) */
export function canSomewhere(actor: Actor | undefined, action: Action): boolean {
  return !!actor && actor.grants.some((g) => roleAllows(g.role, action));
}

/** The organisation ids on which the actor may perform `action`: for `where organisation_id = any(...)` in SQL. */
export function scopeOf(actor: Actor | undefined, action: Action, tree: OrgTree): string[] {
  if (!actor) return [];
  const ids = new Set<string>();
  for (const g of actor.grants) {
    if (!roleAllows(g.role, action)) continue;
    if (g.includeSubtree) for (const id of tree.subtreeOf(g.organisationId)) ids.add(id);
    else ids.add(g.organisationId);
  }
  return [...ids];
}

/** The actions of `candidates` the actor may take on `orgId`: sent with each record so the UI hides the rest. */
export function allowedActions<A extends Action>(actor: Actor | undefined, candidates: readonly A[], orgId: string, tree: OrgTree): A[] {
  return candidates.filter((a) => can(actor, a, orgId, tree));
}

/**
 * Every route declares one of these in `config.policy`; app.ts refuses to start on a route without one.
 * - public: anyone, signed in or not (sign-in, health).
 * - authenticated: any signed-in user; the handler only touches the actor's own data.
 * - action: the actor must hold the action; with `org`, on the organisation the resolver returns for
 *   this request (undefined → the subject does not exist → 404); without `org`, somewhere, and the
 *   handler filters by scopeOf in SQL.
 */
export type Policy =
  | { public: true }
  | { authenticated: true }
  | {
      action: Action;
      /** 'root': the municipality itself (system-wide data such as the audit log). */
      org?: 'root' | ((req: FastifyRequest) => Promise<string | undefined> | string | undefined);
      /** Error code when the resolver finds nothing (default NOT_FOUND). */
      notFound?: import('../../shared/errors.ts').ErrorCode;
    };

declare module 'fastify' {
  interface FastifyContextConfig {
    policy?: Policy;
  }
}
