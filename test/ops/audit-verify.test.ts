// Tampering with the audit log is caught — by verifyAuditChain and by `npm run audit:verify`
// (scripts/audit-verify.ts run as a child process against a PGlite directory or a PostgreSQL database).
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database, Executor } from '../../src/server/db/client.ts';
import { entryHash, recordAudit, verifyAuditChain } from '../../src/server/lib/audit.ts';
import { createTestDatabase } from '../helpers/db.ts';
import { createToolDb, runNode, type ToolDb } from './helpers.ts';

const ENTRIES = 6;

/** Writes `n` genuine entries, each in its own transaction (as the services do). */
async function writeEntries(database: Database, n: number, from = 1) {
  for (let i = from; i < from + n; i++) {
    await database.db.transaction((tx) =>
      recordAudit(tx, { actor: { id: '00000000-0000-4000-8000-000000000001', name: 'Test Testsson' }, requestId: `req-${i}`, ip: '127.0.0.1' }, {
        entityType: 'organisation',
        entityId: `org-${i}`,
        action: 'update',
        before: { name: `Namn ${i}` },
        after: { name: `Namn ${i} ändrat`, nested: { n: i, list: [1, 'två'] } },
      }),
    );
  }
}

async function ids(db: Executor): Promise<number[]> {
  const r = await db.execute<{ id: number }>(sql`select id from audit_log order by id`);
  return r.rows.map((x) => Number(x.id));
}

// --- Tampering, each as the SQL an intruder with database access would run. ---------------------

/** Changes what an entry says (a jsonb field), leaving its stored hash. */
async function editEntry(db: Executor, id: number) {
  await db.execute(sql`update audit_log set after = jsonb_set(after, '{name}', '"Förfalskat"') where id = ${id}`);
}

/** Removes entry #id from the middle of the chain. */
async function deleteEntry(db: Executor, id: number) {
  await db.execute(sql`delete from audit_log where id = ${id}`);
}

/**
 * Inserts a forged entry between two genuine ones, with a correct hash that chains to the entry
 * before it. Room is made by moving the later entries' ids up by 10 (ids are not hashed; gaps in ids
 * also happen naturally when a transaction rolls back), so the forged entry gets id afterId + 5.
 */
async function insertEntry(db: Executor, afterId: number): Promise<number> {
  const prev = await db.execute<{ hash: string; at: string }>(sql`select hash, at from audit_log where id = ${afterId}`);
  await db.execute(sql`update audit_log set id = id + 10 where id > ${afterId}`);
  const fields = {
    at: new Date(new Date(prev.rows[0].at).getTime() + 1).toISOString(),
    actorId: null,
    actorName: 'Inkräktare',
    entityType: 'user',
    entityId: 'someone',
    action: 'grant-role',
    before: null,
    after: { role: 'admin' },
    requestId: null,
    ip: null,
  };
  const hash = entryHash(prev.rows[0].hash, fields);
  const id = afterId + 5;
  await db.execute(sql`insert into audit_log (id, at, actor_id, actor_name, entity_type, entity_id, action, before, after, request_id, ip, prev_hash, hash)
    values (${id}, ${fields.at}, null, ${fields.actorName}, ${fields.entityType}, ${fields.entityId}, ${fields.action}, null, ${JSON.stringify(fields.after)}::jsonb, null, null, ${prev.rows[0].hash}, ${hash})`);
  return id;
}

describe('verifyAuditChain catches tampering', { timeout: 180_000 }, () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.close();
  });
  beforeEach(async () => {
    await database.db.execute(sql`truncate audit_log restart identity`);
    await writeEntries(database, ENTRIES);
  });

  it('an intact chain verifies', async () => {
    expect(await verifyAuditChain(database.db)).toEqual({ ok: true, checked: ENTRIES });
    // Paging through the log gives the same answer.
    expect(await verifyAuditChain(database.db, 2)).toEqual({ ok: true, checked: ENTRIES });
  });

  it('an edited entry is reported as edited, with its id', async () => {
    await editEntry(database.db, 3);
    expect(await verifyAuditChain(database.db)).toEqual({ ok: false, checked: 2, firstBad: { id: 3, problem: 'edited' } });
    expect(await verifyAuditChain(database.db, 2)).toEqual({ ok: false, checked: 2, firstBad: { id: 3, problem: 'edited' } });
  });

  it('an edit that also rewrites the entry’s own hash is caught at the next entry', async () => {
    const row = (await database.db.execute<{ prev_hash: string }>(sql`select prev_hash from audit_log where id = 3`)).rows[0];
    const all = await database.db.execute(sql`select * from audit_log where id = 3`);
    const r = all.rows[0] as Record<string, unknown>;
    const forged = { at: '', actorId: r.actor_id as string, actorName: 'Någon annan', entityType: r.entity_type as string, entityId: r.entity_id as string, action: r.action as string, before: r.before, after: r.after, requestId: r.request_id as string, ip: r.ip as string };
    forged.at = new Date(r.at as string | Date).toISOString();
    await database.db.execute(sql`update audit_log set actor_name = 'Någon annan', hash = ${entryHash(row.prev_hash, forged)} where id = 3`);
    expect(await verifyAuditChain(database.db)).toEqual({ ok: false, checked: 3, firstBad: { id: 4, problem: 'inserted-or-deleted' } });
  });

  it('a deleted entry is reported at the entry after the gap', async () => {
    await deleteEntry(database.db, 3);
    expect(await ids(database.db)).toEqual([1, 2, 4, 5, 6]);
    expect(await verifyAuditChain(database.db)).toEqual({ ok: false, checked: 2, firstBad: { id: 4, problem: 'inserted-or-deleted' } });
  });

  it('an inserted entry (with a hash that chains to its predecessor) is caught at the next genuine entry', async () => {
    const forged = await insertEntry(database.db, 3);
    expect(await ids(database.db)).toEqual([1, 2, 3, forged, 14, 15, 16]);
    expect(await verifyAuditChain(database.db)).toEqual({ ok: false, checked: 4, firstBad: { id: 14, problem: 'inserted-or-deleted' } });
  });

  it('an entry appended with a made-up previous hash is caught', async () => {
    await database.db.execute(sql`insert into audit_log (at, entity_type, entity_id, action, prev_hash, hash)
      values (now(), 'user', 'x', 'delete', ${'f'.repeat(64)}, ${'e'.repeat(64)})`);
    expect(await verifyAuditChain(database.db)).toEqual({ ok: false, checked: ENTRIES, firstBad: { id: ENTRIES + 1, problem: 'inserted-or-deleted' } });
  });
});

describe('npm run audit:verify (scripts/audit-verify.ts)', { timeout: 180_000 }, () => {
  let db: ToolDb;
  const verify = () => runNode('scripts/audit-verify.ts', [], db.env);

  /** Fresh chain, then `tamper` on it, with the database closed again before the script runs. */
  async function prepare(tamper?: (d: Database) => Promise<unknown>) {
    const database = await db.open();
    try {
      await database.db.execute(sql`truncate audit_log restart identity`);
      await writeEntries(database, ENTRIES);
      if (tamper) await tamper(database);
    } finally {
      await database.close();
    }
  }

  beforeAll(async () => {
    db = await createToolDb();
  });
  afterAll(async () => {
    await db?.cleanup();
  });

  it('exits 0 on an intact chain and prints the count and the latest hash', async () => {
    await prepare();
    const run = await verify();
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`OK: granskningsloggen är obruten – ${ENTRIES} poster kontrollerade.`);
    expect(run.stdout).toMatch(new RegExp(`Senaste post: id ${ENTRIES}, hash [0-9a-f]{64}`));
  });

  it('exits 1 and names an edited entry', async () => {
    await prepare((d) => editEntry(d.db, 3));
    const run = await verify();
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Första felaktiga post: id 3 – posten har ÄNDRATS i efterhand');
    expect(run.stderr).toContain('org-3');
  });

  it('exits 1 and points at a deleted entry', async () => {
    await prepare((d) => deleteEntry(d.db, 3));
    const run = await verify();
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Första felaktiga post: id 4 – poster har LAGTS TILL eller TAGITS BORT före den här posten');
  });

  it('exits 1 and points at an inserted entry', async () => {
    await prepare((d) => insertEntry(d.db, 3));
    const run = await verify();
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Första felaktiga post: id 14 – poster har LAGTS TILL eller TAGITS BORT');
    expect(run.stderr).toContain('4 poster före den är oförändrade');
  });
});

describe('audit:verify and the embedded database lock', { timeout: 180_000 }, () => {
  it('refuses clearly (exit 2) while Trygg holds the data directory, pointing to the API', async () => {
    const db = await createToolDb('pglite');
    const database = await db.open(); // holds the lock, as the running app does
    try {
      const run = await runNode('scripts/audit-verify.ts', [], db.env);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('Trygg körs just nu på den inbyggda databasen');
      expect(run.stderr).toContain('Stoppa Trygg först');
      expect(run.stderr).toContain('/api/audit/verify');
    } finally {
      await database.close();
      await db.cleanup();
    }
  });

  it('says so when there is no database in DATA_DIR', async () => {
    const db = await createToolDb('pglite');
    try {
      const run = await runNode('scripts/audit-verify.ts', [], db.env);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('Det finns ingen inbyggd databas');
    } finally {
      await db.cleanup();
    }
  });
});
