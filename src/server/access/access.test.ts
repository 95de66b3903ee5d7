import { describe, expect, it } from 'vitest';
import { buildOrgTree } from '../../shared/access.ts';
import type { Actor } from '../lib/policies.ts';
import { accessOf } from './access.ts';

const tree = buildOrgTree([
  { id: 'lund', parentId: null, type: 'municipality' },
  { id: 'ks', parentId: 'lund', type: 'committee' },
  { id: 'son', parentId: 'lund', type: 'committee' },
  { id: 'polis', parentId: null, type: 'partner' },
]);
const actor = (grants: Actor['grants']): Actor => ({ id: 'u', name: 'U', email: 'u@x', sessionId: 's', grants });

describe('Access.everywhere: an action held on every organisation of the register', () => {
  it('holds with a subtree grant on the municipality (partners hang under it) and not with one committee missing', () => {
    expect(accessOf(actor([{ organisationId: 'lund', role: 'reader', includeSubtree: true }]), tree).everywhere('cases.read')).toBe(true);
    const most = actor([
      { organisationId: 'lund', role: 'reader', includeSubtree: false },
      { organisationId: 'ks', role: 'reader', includeSubtree: false },
      { organisationId: 'polis', role: 'reader', includeSubtree: false },
    ]);
    expect(accessOf(most, tree).everywhere('cases.read')).toBe(false);
  });

  it('does not count a granted organisation the register no longer holds in place of one it does', () => {
    const withGone = actor([
      { organisationId: 'lund', role: 'reader', includeSubtree: false },
      { organisationId: 'ks', role: 'reader', includeSubtree: false },
      { organisationId: 'polis', role: 'reader', includeSubtree: false },
      { organisationId: 'gone', role: 'reader', includeSubtree: false },
    ]);
    const a = accessOf(withGone, tree);
    expect(a.scope('cases.read')).toHaveLength(tree.size);
    expect(a.everywhere('cases.read')).toBe(false);
  });
});
