import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFileStore, sha256Of } from './filestore.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trygg-filestore-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('file store', () => {
  const store = createFileStore(dir);

  it('stores bytes under their SHA-256 and reads them back', async () => {
    const data = Buffer.from('%PDF-1.7 beslut');
    const stored = await store.put(data);
    expect(stored).toEqual({ sha256: sha256Of(data), size: data.length });
    expect(stored.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await store.get(stored.sha256)).equals(data)).toBe(true);
    // The same bytes again are one file.
    await store.put(Buffer.from(data));
    expect(fs.readdirSync(path.join(dir, stored.sha256.slice(0, 2)))).toEqual([stored.sha256]);
  });

  it('refuses a changed file and a missing or malformed checksum', async () => {
    const stored = await store.put(Buffer.from('original'));
    fs.writeFileSync(path.join(dir, stored.sha256.slice(0, 2), stored.sha256), 'tampered');
    await expect(store.get(stored.sha256)).rejects.toMatchObject({ code: 'FILE_CORRUPT', status: 409 });
    await expect(store.get('0'.repeat(64))).rejects.toMatchObject({ code: 'FILE_MISSING', status: 404 });
    await expect(store.get('../../etc/passwd')).rejects.toMatchObject({ code: 'FILE_MISSING' });
  });
});
