// Backup and restore round trip through the real tools (`npm run backup`, `npm run restore`), on the
// database of this run (PGlite data directory, or PostgreSQL with TEST_DATABASE_URL).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackup, restoreBackup } from '../../src/server/db/backup.ts';
import { recordAudit, verifyAuditChain } from '../../src/server/lib/audit.ts';
import { seedDemo } from '../../src/server/seed/seed.ts';
import { openDatabase } from '../../src/server/db/client.ts';
import { runMigrations } from '../../src/server/db/migrate.ts';
import { createTestDatabase } from '../helpers/db.ts';
import { createToolDb, runNode, type ToolDb } from './helpers.ts';

interface Snapshot {
  orgs: { id: string; name: string; parent_id: string | null }[];
  users: number;
  grants: number;
  audit: { id: number; hash: string }[];
}

async function snapshot(db: ToolDb): Promise<Snapshot> {
  const database = await db.open();
  try {
    const orgs = await database.pool.query(`select id, name, parent_id from organisations order by id`);
    const users = await database.pool.query(`select count(*)::int as n from users`);
    const grants = await database.pool.query(`select count(*)::int as n from role_grants`);
    const audit = await database.pool.query(`select id, hash from audit_log order by id`);
    return { orgs: orgs.rows, users: users.rows[0].n, grants: grants.rows[0].n, audit: audit.rows.map((r) => ({ id: Number(r.id), hash: r.hash })) };
  } finally {
    await database.close();
  }
}

describe('npm run backup / npm run restore', { timeout: 180_000 }, () => {
  let db: ToolDb;
  let file: string;
  let seeded: Snapshot;

  beforeAll(async () => {
    db = await createToolDb();
    const database = await db.open();
    try {
      await seedDemo(database.db);
    } finally {
      await database.close();
    }
    seeded = await snapshot(db);
    file = path.join(db.dataDir, 'backups', 'round-trip.trygg-backup.gz');
  });
  afterAll(async () => {
    await db?.cleanup();
  });

  it('backs up the seeded database to a file', async () => {
    expect(seeded.orgs.length).toBeGreaterThan(10);
    expect(seeded.audit.length).toBeGreaterThan(0);
    const run = await runNode('scripts/backup.ts', [file], db.env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Klart:');
    expect(fs.statSync(file).size).toBeGreaterThan(100);
    // No temporary file is left beside it.
    expect(fs.readdirSync(path.dirname(file))).toEqual(['round-trip.trygg-backup.gz']);
  });

  it('restore refuses to overwrite existing data without --force (non-interactive), changing nothing', async () => {
    const database = await db.open();
    try {
      await database.pool.query(`update organisations set name = 'Ändrad efter säkerhetskopian' where parent_id is null`);
      await database.pool.query(`delete from role_grants`);
      await database.db.transaction((tx) => recordAudit(tx, { requestId: 'after-backup' }, { entityType: 'organisation', entityId: 'x', action: 'update', after: { a: 1 } }));
    } finally {
      await database.close();
    }
    const run = await runNode('scripts/restore.ts', [file], db.env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('innehåller redan data');
    expect(run.stderr).toContain('--force');
    const after = await snapshot(db);
    expect(after.orgs.some((o) => o.name === 'Ändrad efter säkerhetskopian')).toBe(true);
    expect(after.grants).toBe(0);
    expect(after.audit.length).toBe(seeded.audit.length + 1);
  });

  it('restore --force brings the backed-up data back, and the audit chain verifies and keeps growing', async () => {
    const run = await runNode('scripts/restore.ts', [file, '--force'], db.env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Granskningsloggen är obruten');
    const restored = await snapshot(db);
    expect(restored).toEqual(seeded);

    const database = await db.open();
    try {
      expect((await verifyAuditChain(database.db)).ok).toBe(true);
      // Sequences continue after the restored rows: a new entry chains on without a clash.
      await database.db.transaction((tx) => recordAudit(tx, { requestId: 'after-restore' }, { entityType: 'organisation', entityId: 'y', action: 'update' }));
      const chain = await verifyAuditChain(database.db);
      expect(chain).toEqual({ ok: true, checked: seeded.audit.length + 1 });
    } finally {
      await database.close();
    }
    const verify = await runNode('scripts/audit-verify.ts', [], db.env);
    expect(verify.code).toBe(0);
  });

  it('restore refuses a truncated backup file before touching the database', async () => {
    const whole = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8').split('\n');
    const cut = path.join(db.dataDir, 'cut.trygg-backup.gz');
    fs.writeFileSync(cut, zlib.gzipSync(whole.slice(0, Math.max(2, whole.length - 3)).join('\n') + '\n'));
    const before = await snapshot(db);
    const run = await runNode('scripts/restore.ts', [cut, '--force'], db.env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('avkortad');
    expect(await snapshot(db)).toEqual(before);
  });

  it('restore without a file, or with a file that is no backup, says what is wrong', async () => {
    const none = await runNode('scripts/restore.ts', [], db.env);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Ange säkerhetskopian');
    const other = path.join(db.dataDir, 'other.gz');
    fs.writeFileSync(other, zlib.gzipSync('{"hello":"world"}\n'));
    const wrong = await runNode('scripts/restore.ts', [other, '--force'], db.env);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('ingen Trygg-säkerhetskopia');
  });
});

describe('backup and restore with the embedded database held by a running Trygg', { timeout: 180_000 }, () => {
  it('both refuse with a clear Swedish message while the data directory is locked', async () => {
    const db = await createToolDb('pglite');
    const database = await db.open();
    const file = path.join(db.dataDir, 'b.gz');
    try {
      const backup = await runNode('scripts/backup.ts', [file], db.env);
      expect(backup.code).toBe(2);
      expect(backup.stderr).toContain('Trygg körs just nu på den inbyggda databasen');
      expect(fs.existsSync(file)).toBe(false);

      await createBackup(database, file); // the running app's own connection can back up
      const restore = await runNode('scripts/restore.ts', [file, '--force'], db.env);
      expect(restore.code).toBe(2);
      expect(restore.stderr).toContain('Stoppa Trygg först');
    } finally {
      await database.close();
      await db.cleanup();
    }
  });
});

describe('moving between database kinds', { timeout: 180_000 }, () => {
  it('a backup of the embedded database restores into the database of this run (PostgreSQL with TEST_DATABASE_URL)', async () => {
    const embedded = await openDatabase({});
    const db = await createToolDb();
    try {
      await runMigrations(embedded);
      await seedDemo(embedded.db);
      const file = path.join(db.dataDir, 'from-pglite.gz');
      await createBackup(embedded, file);
      const orgs = await embedded.pool.query(`select id, name from organisations order by id`);
      const run = await runNode('scripts/restore.ts', [file], db.env); // empty target: no confirmation needed
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const target = await db.open();
      try {
        expect((await target.pool.query(`select id, name from organisations order by id`)).rows).toEqual(orgs.rows);
        expect((await verifyAuditChain(target.db)).ok).toBe(true);
      } finally {
        await target.close();
      }
    } finally {
      await embedded.close();
      await db.cleanup();
    }
  });
});

describe('restoreBackup', { timeout: 180_000 }, () => {
  it('keeps the old data when the restore fails halfway (one transaction)', async () => {
    const source = await createTestDatabase();
    const target = await createTestDatabase();
    const dir = fs.mkdtempSync(path.join((await import('node:os')).tmpdir(), 'trygg-bk-'));
    try {
      await seedDemo(source.db);
      const file = path.join(dir, 'b.gz');
      await createBackup(source, file);
      // Corrupt one row so that its insert fails after other tables went in.
      const lines = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8').split('\n');
      const i = lines.findIndex((l) => l.startsWith('{"table":"users"'));
      expect(i).toBeGreaterThan(0);
      lines[i + 1] = lines[i + 1].replace(/"email":"[^"]+"/, '"email":null');
      fs.writeFileSync(file, zlib.gzipSync(lines.join('\n')));

      await target.db.execute(sql`insert into organisations (id, type, name) values ('11111111-1111-4111-8111-111111111111', 'municipality', 'Kvar efter misslyckad återställning')`);
      await expect(restoreBackup(target, file)).rejects.toThrow();
      const left = await target.pool.query(`select name from organisations`);
      expect(left.rows).toEqual([{ name: 'Kvar efter misslyckad återställning' }]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      await source.close();
      await target.close();
    }
  });
});
