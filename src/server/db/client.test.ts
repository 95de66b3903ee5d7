// The embedded database (PGlite in a worker thread): its settings, and a new data directory starting from the
// build's template (a data directory copied in, see scripts/pglite-template.ts) — here a small template made
// by the test itself, so that the test does not depend on `npm run build`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from './client.ts';

describe('the embedded database', { timeout: 180_000 }, () => {
  let base: string;
  let template: string;

  beforeAll(async () => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'trygg-client-'));
    template = path.join(base, 'template');
    const pg = await PGlite.create({ dataDir: template });
    await pg.exec(`create table marker (note text); insert into marker values ('from the template')`);
    await pg.close();
  });
  afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

  const marker = async (pgliteDir: string) => {
    const database = await openDatabase({ pgliteDir, pgliteTemplate: template });
    try {
      const { rows } = await database.pool.query<{ note: string }>(`select note from marker order by note`);
      const settings = await database.pool.query<{ shared_buffers: string }>('show shared_buffers');
      return { notes: rows.map((r) => r.note), sharedBuffers: settings.rows[0].shared_buffers, database };
    } finally {
      await database.close();
    }
  };

  it('runs with the embedded settings (32 MB of shared buffers, not PGlite\'s 128 MB)', async () => {
    const database = await openDatabase({});
    try {
      const { rows } = await database.pool.query<{ shared_buffers: string }>('show shared_buffers');
      expect(rows[0].shared_buffers).toBe('32MB');
    } finally {
      await database.close();
    }
  });

  it('an empty data directory starts as a copy of the template, which stays unchanged', async () => {
    const dir = path.join(base, 'fresh', 'pglite');
    expect((await marker(dir)).notes).toEqual(['from the template']);
    expect(fs.existsSync(path.join(dir, 'PG_VERSION'))).toBe(true);
    // Writes go to the copy, not to the template.
    const database = await openDatabase({ pgliteDir: dir, pgliteTemplate: template });
    await database.pool.query(`insert into marker values ('written later')`);
    await database.close();
    expect((await marker(dir)).notes).toEqual(['from the template', 'written later']);
    expect((await marker(path.join(base, 'another', 'pglite'))).notes).toEqual(['from the template']);
  });

  it('a copy cut short (no PG_VERSION yet) is copied again; an existing database is never replaced', async () => {
    const cut = path.join(base, 'cut', 'pglite');
    fs.mkdirSync(path.join(cut, 'base'), { recursive: true });
    fs.writeFileSync(path.join(cut, 'base', 'partial'), 'half a file');
    expect((await marker(cut)).notes).toEqual(['from the template']);

    // An existing database (made without the template) is opened as it is.
    const own = path.join(base, 'own');
    const pg = await PGlite.create({ dataDir: own });
    await pg.exec(`create table marker (note text); insert into marker values ('its own')`);
    await pg.close();
    expect((await marker(own)).notes).toEqual(['its own']);
  });
});
