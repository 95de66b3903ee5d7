import { ROLE_ACTIONS, type Action } from '../shared/roles.ts';
import type { Me, OrganisationT } from './api/endpoints.ts';

/**
 * Mirrors the server's `can` (src/server/lib/policies.ts) for hiding choices the user may not make,
 * e.g. which organisations to offer in a select. The server decides; this only avoids offering a 403.
 * External top-level organisations hang under the municipality, as on the server.
 */
export function canOn(me: Me | null, action: Action, orgId: string, orgs: Map<string, OrganisationT>): boolean {
  if (!me) return false;
  const municipalities = [...orgs.values()].filter((o) => o.type === 'municipality' && !o.parentId);
  const rootId = municipalities.length === 1 ? municipalities[0].id : null;
  const ancestors: string[] = [];
  let cur: string | null | undefined = orgId;
  while (cur && !ancestors.includes(cur)) {
    ancestors.push(cur);
    const o = orgs.get(cur);
    cur = o ? (o.parentId ?? (o.id === rootId ? null : rootId)) : null;
  }
  return me.grants.some(
    (g) => ROLE_ACTIONS[g.role].includes(action) && (g.organisationId === orgId || (g.includeSubtree && ancestors.includes(g.organisationId))),
  );
}
