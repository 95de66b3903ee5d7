import { describe, expect, it } from 'vitest';
import { allowedActions, can, canSomewhere, OrgTree, scopeOf, type Actor } from './policies.ts';

// lund ─┬─ ks ── kk ── kk-ts
//       ├─ son ── sof
//       └─ tn
// polisen (external root; under lund for authorization, as loadOrgTree arranges)
const tree = new OrgTree(
  new Map<string, string | null>([
    ['lund', null],
    ['ks', 'lund'],
    ['kk', 'ks'],
    ['kk-ts', 'kk'],
    ['son', 'lund'],
    ['sof', 'son'],
    ['tn', 'lund'],
    ['polisen', 'lund'],
  ]),
  'lund',
);

const actor = (grants: Actor['grants']): Actor => ({ id: 'u', name: 'U', email: 'u@x', sessionId: 's', grants });

describe('OrgTree', () => {
  it('knows ancestors and subtrees', () => {
    expect(tree.ancestorsOf('kk-ts')).toEqual(['kk-ts', 'kk', 'ks', 'lund']);
    expect(tree.subtreeOf('son').sort()).toEqual(['sof', 'son']);
    expect(tree.subtreeOf('tn')).toEqual(['tn']);
    expect(tree.has('nope')).toBe(false);
  });
  it('survives a cycle in bad data instead of looping', () => {
    const bad = new OrgTree(new Map([['a', 'b'], ['b', 'a']]));
    expect(bad.ancestorsOf('a')).toEqual(['a', 'b']);
    expect(bad.subtreeOf('a').sort()).toEqual(['a', 'b']);
  });
});

describe('can', () => {
  const socAdmin = actor([{ organisationId: 'son', role: 'admin', includeSubtree: true }]);
  const socAdminFlat = actor([{ organisationId: 'son', role: 'admin', includeSubtree: false }]);
  const reporter = actor([{ organisationId: 'son', role: 'reporter', includeSubtree: false }]);

  it('grants on the organisation and, with subtree, its descendants', () => {
    expect(can(socAdmin, 'users.manage', 'son', tree)).toBe(true);
    expect(can(socAdmin, 'users.manage', 'sof', tree)).toBe(true);
    expect(can(socAdminFlat, 'users.manage', 'sof', tree)).toBe(false);
  });
  it('never reaches a sibling committee or the parent', () => {
    expect(can(socAdmin, 'users.manage', 'tn', tree)).toBe(false);
    expect(can(socAdmin, 'users.manage', 'lund', tree)).toBe(false);
  });
  it('gives a role only its own actions', () => {
    expect(can(reporter, 'organisations.read', 'son', tree)).toBe(true);
    expect(can(reporter, 'organisations.update', 'son', tree)).toBe(false);
    expect(can(undefined, 'organisations.read', 'son', tree)).toBe(false);
  });
  it('computes the SQL scope and the allowed actions sent to the UI', () => {
    expect(scopeOf(socAdmin, 'users.read', tree).sort()).toEqual(['sof', 'son']);
    expect(scopeOf(reporter, 'users.read', tree)).toEqual([]);
    expect(canSomewhere(reporter, 'users.read')).toBe(false);
    expect(allowedActions(socAdmin, ['organisations.update', 'organisations.create'], 'tn', tree)).toEqual([]);
    expect(allowedActions(socAdmin, ['organisations.update', 'organisations.create'], 'sof', tree)).toEqual(['organisations.update', 'organisations.create']);
  });
});
