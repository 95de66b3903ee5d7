import { buildOrgTree, can } from '../shared/access.ts';
import type { Action } from '../shared/roles.ts';
import type { Me } from './features/auth/api.ts';
import type { OrganisationT } from './features/organisations/api.ts';

/**
 * The server's `can` (src/shared/access.ts, the same code) for hiding choices the user may not make,
 * e.g. which organisations to offer in a select. The server decides; this only avoids offering a 403.
 */
export function canOn(me: Me | null, action: Action, orgId: string, orgs: Map<string, OrganisationT>): boolean {
  if (!me) return false;
  return can(me, action, orgId, treeOf(orgs));
}

const trees = new WeakMap<Map<string, OrganisationT>, ReturnType<typeof buildOrgTree>>();
/** The tree of an organisation map, built once per map. */
function treeOf(orgs: Map<string, OrganisationT>) {
  let tree = trees.get(orgs);
  if (!tree) {
    tree = buildOrgTree([...orgs.values()].map((o) => ({ id: o.id, parentId: o.parentId ?? null, type: o.type })));
    trees.set(orgs, tree);
  }
  return tree;
}
