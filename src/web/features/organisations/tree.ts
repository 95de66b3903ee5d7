import type { OrganisationT } from './api.ts';

// The organisation tree for selects and the organisation page (no UI here, so any page may import it cheaply).

type Org = OrganisationT;

export interface OrgIndex {
  byId: Map<string, Org>;
  children: Map<string | null, Org[]>;
  roots: Org[];
}

export function indexOrgs(items: Org[]): OrgIndex {
  const byId = new Map(items.map((o) => [o.id, o]));
  const children = new Map<string | null, Org[]>();
  for (const o of items) {
    const parent = o.parentId && byId.has(o.parentId) ? o.parentId : null;
    const list = children.get(parent) ?? [];
    list.push(o);
    children.set(parent, list);
  }
  const collator = new Intl.Collator('sv');
  for (const list of children.values()) list.sort((a, b) => collator.compare(a.name, b.name));
  // The municipality first among the top level.
  const roots = (children.get(null) ?? []).sort((a, b) => Number(b.type === 'municipality') - Number(a.type === 'municipality'));
  return { byId, children, roots };
}

/** Organisations in tree order with their depth, for indented <select> options. */
export function flatten(index: OrgIndex): { org: Org; depth: number }[] {
  const out: { org: Org; depth: number }[] = [];
  const walk = (list: Org[], depth: number) => {
    for (const o of list) {
      out.push({ org: o, depth });
      walk(index.children.get(o.id) ?? [], depth + 1);
    }
  };
  walk(index.roots, 0);
  return out;
}

export const indent = (depth: number) => '\u00a0\u00a0'.repeat(depth);
