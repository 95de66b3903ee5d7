import { ROLE_ACTIONS, type Action, type Role } from './roles.ts';

/**
 * The organisation half of the access core, shared by the server and the web so that both run the same
 * code: the organisation tree, roles → actions, and `can`. The record half (secrecy markings, shares, the
 * SQL visibility clauses and the read log) lives in src/server/access/. See docs/architecture.md.
 */

export interface Grant {
  organisationId: string;
  role: Role;
  includeSubtree: boolean;
}

/** Whoever asks: a signed-in user's grants (the server's Actor and the web's Me both are one). */
export interface Principal {
  grants: readonly Grant[];
}

/** The organisation tree as parent links. */
export class OrgTree {
  private readonly children = new Map<string, string[]>();
  /** @param rootId the municipality: top-level changes to the register need rights on it. */
  constructor(
    private readonly parents: Map<string, string | null>,
    readonly rootId: string | null = null,
    private readonly types: Map<string, string> = new Map(),
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
  /** How many organisations the register holds. */
  get size() {
    return this.parents.size;
  }
  /** The organisation's type (municipality, committee, partner …), when the tree was built with types. */
  typeOf(id: string): string | undefined {
    return this.types.get(id);
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
    const seen = new Set<string>();
    while (stack.length) {
      const cur = stack.pop()!;
      if (seen.has(cur)) continue;
      seen.add(cur);
      out.push(cur);
      stack.push(...(this.children.get(cur) ?? []));
    }
    return out;
  }
}

/**
 * The tree from the register's rows. External roots (partners and federations without a parent) hang,
 * for authorization only, under the municipality, so that its administrators manage the register.
 */
export function buildOrgTree(rows: Iterable<{ id: string; parentId: string | null; type: string }>): OrgTree {
  const list = [...rows];
  const municipalities = list.filter((r) => r.type === 'municipality' && !r.parentId);
  const root = municipalities.length === 1 ? municipalities[0].id : null;
  return new OrgTree(
    new Map(list.map((r) => [r.id, r.parentId ?? (r.id === root ? null : root)])),
    root,
    new Map(list.map((r) => [r.id, r.type])),
  );
}

export function roleAllows(role: Role, action: Action): boolean {
  return ROLE_ACTIONS[role]?.includes(action) ?? false;
}

/** May the principal perform `action` on organisation `orgId`? Granted on the organisation itself, or on an ancestor with subtree. */
export function can(principal: Principal | null | undefined, action: Action, orgId: string, tree: OrgTree): boolean {
  if (!principal) return false;
  const ancestors = tree.ancestorsOf(orgId);
  return principal.grants.some(
    (g) => roleAllows(g.role, action) && (g.organisationId === orgId || (g.includeSubtree && ancestors.includes(g.organisationId))),
  );
}

/** Does the principal have `action` anywhere? (Gate for list endpoints, which then filter in SQL by scopeOf.) */
export function canSomewhere(principal: Principal | null | undefined, action: Action): boolean {
  return !!principal && principal.grants.some((g) => roleAllows(g.role, action));
}

/** The organisation ids on which the principal may perform `action`: for `where organisation_id = any(...)` in SQL. */
export function scopeOf(principal: Principal | null | undefined, action: Action, tree: OrgTree): string[] {
  if (!principal) return [];
  const ids = new Set<string>();
  for (const g of principal.grants) {
    if (!roleAllows(g.role, action)) continue;
    if (g.includeSubtree) for (const id of tree.subtreeOf(g.organisationId)) ids.add(id);
    else ids.add(g.organisationId);
  }
  return [...ids];
}

/** The actions of `candidates` the principal may take on `orgId`: sent with each record so the UI hides the rest. */
export function allowedActions<A extends Action>(principal: Principal | null | undefined, candidates: readonly A[], orgId: string, tree: OrgTree): A[] {
  return candidates.filter((a) => can(principal, a, orgId, tree));
}

/**
 * May the principal report an incident for organisation `orgId`? With incidents.report there, or as an
 * employee for their own organisation and its units — unless a partner organisation is in the chain.
 */
export function mayReportFor(principal: Principal | null | undefined, homeOrganisationId: string | null | undefined, orgId: string, tree: OrgTree): boolean {
  if (can(principal, 'incidents.report', orgId, tree)) return true;
  if (!homeOrganisationId) return false;
  const chain = tree.ancestorsOf(orgId);
  return chain.includes(homeOrganisationId) && !chain.some((id) => tree.typeOf(id) === 'partner');
}
