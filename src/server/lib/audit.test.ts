import { describe, expect, it } from 'vitest';
import { canonical, entryHash, GENESIS_HASH, type ChainedFields } from './audit.ts';

const entry: ChainedFields = {
  at: '2026-01-02T03:04:05.678Z',
  actorId: null,
  actorName: 'Alva',
  entityType: 'organisation',
  entityId: 'x',
  action: 'update',
  before: { b: 1, a: [1, { d: 2, c: 3 }] },
  after: { a: 'å' },
  requestId: 'r',
  ip: '127.0.0.1',
};

describe('audit hashing', () => {
  it('is independent of key order (jsonb reorders keys)', () => {
    expect(canonical({ b: 1, a: { d: 1, c: 2 } })).toBe(canonical({ a: { c: 2, d: 1 }, b: 1 }));
    expect(entryHash(GENESIS_HASH, entry)).toBe(entryHash(GENESIS_HASH, { ...entry, before: { a: [1, { c: 3, d: 2 }], b: 1 } }));
  });
  it('changes with any field and with the previous hash', () => {
    const h = entryHash(GENESIS_HASH, entry);
    expect(entryHash(GENESIS_HASH, { ...entry, after: { a: 'a' } })).not.toBe(h);
    expect(entryHash(GENESIS_HASH, { ...entry, at: '2026-01-02T03:04:05.679Z' })).not.toBe(h);
    expect(entryHash('1'.repeat(64), entry)).not.toBe(h);
  });
});
