import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../../../../test/helpers/app.ts';
import { createOrganisation, orgId, signIn } from '../../../../test/helpers/factories.ts';
import { auditLog } from '../../db/schema/index.ts';
import { entryHash, GENESIS_HASH, type ChainedFields } from '../../lib/audit.ts';

let ctx: TestContext;
let admin: string;
let adminId: string;

beforeAll(async () => {
  ctx = await createTestApp();
  admin = await signIn(ctx.app, 'admin@lund.example');
  adminId = (await ctx.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: admin } })).json().user.id;
});
afterAll(() => ctx?.close());

const get = (cookie: string, url: string) => ctx.app.inject({ method: 'GET', url, headers: { cookie } });
type Entry = { id: number; at: string; actorId: string | null; entityType: string; entityId: string; action: string; requestId: string | null; ip: string | null };

/** Appends a correctly chained entry at a chosen time (as recordAudit would, but with `at` fixed). */
async function appendAt(at: string, entityId: string) {
  await ctx.database.db.transaction(async (tx) => {
    const last = await tx.execute<{ hash: string }>(sql`select hash from audit_log order by id desc limit 1`);
    const prevHash = last.rows[0]?.hash ?? GENESIS_HASH;
    const fields: ChainedFields = { at, actorId: null, actorName: null, entityType: 'test-boundary', entityId, action: 'probe', before: null, after: null, requestId: null, ip: null };
    await tx.insert(auditLog).values({ ...fields, prevHash, hash: entryHash(prevHash, fields) });
  });
}

describe('audit log API', () => {
  it('records who, what, request id and client address for a change made through the API', async () => {
    const son = await orgId(ctx.database, 'son');
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/organisations',
      headers: { cookie: admin, 'x-request-id': 'granskning-test-0001' },
      payload: { type: 'unit', name: 'Granskad enhet', parentId: son },
    });
    expect(res.statusCode).toBe(201);
    const id = res.json().id;
    const items = (await get(admin, `/api/audit?entityType=organisation&entityId=${id}`)).json().items as (Entry & { after: { name: string } })[];
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ action: 'create', actorId: adminId, requestId: 'granskning-test-0001', ip: '127.0.0.1' });
    expect(items[0].after.name).toBe('Granskad enhet');
    // The chain fields stay on the server.
    expect(Object.keys(items[0])).not.toContain('hash');
    expect(Object.keys(items[0])).not.toContain('prevHash');
  });

  it('filters by entity, actor and action, newest first, with a total and paging', async () => {
    const son = await orgId(ctx.database, 'son');
    const unit = await createOrganisation(ctx.database, { parentId: son });
    for (const name of ['Ett', 'Två', 'Tre']) {
      const row = (await get(admin, `/api/organisations/${unit.id}`)).json();
      expect((await ctx.app.inject({ method: 'PATCH', url: `/api/organisations/${unit.id}`, headers: { cookie: admin }, payload: { version: row.version, name } })).statusCode).toBe(200);
    }
    const all = (await get(admin, `/api/audit?entityId=${unit.id}&actorId=${adminId}&action=update`)).json();
    expect(all.total).toBe(3);
    expect(all.items.map((e: { after: { name: string } }) => e.after.name)).toEqual(['Tre', 'Två', 'Ett']);
    const page = (await get(admin, `/api/audit?entityId=${unit.id}&limit=1&offset=1`)).json();
    expect(page.total).toBe(3);
    expect(page.items.map((e: { after: { name: string } }) => e.after.name)).toEqual(['Två']);
    expect((await get(admin, `/api/audit?entityId=${unit.id}&action=delete`)).json().total).toBe(0);

    const byActor = (await get(admin, `/api/audit?actorId=${adminId}&limit=500`)).json().items as Entry[];
    expect(byActor.length).toBeGreaterThan(0);
    expect(byActor.every((e) => e.actorId === adminId)).toBe(true);
    const ids = byActor.map((e) => e.id);
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);
  });

  it('reads from/to as calendar days in Stockholm', async () => {
    const tag = `gräns-${Date.now()}`;
    await appendAt('2025-01-15T22:59:59.000Z', tag); // 23:59:59 on 15 January in Stockholm (CET)
    await appendAt('2025-01-15T23:00:00.000Z', tag); // 00:00 on 16 January
    await appendAt('2025-07-15T21:30:00.000Z', tag); // 23:30 on 15 July (CEST)
    const count = async (q: string) => (await get(admin, `/api/audit?entityType=test-boundary&entityId=${tag}&${q}`)).json().total;
    expect(await count('from=2025-01-15&to=2025-01-15')).toBe(1);
    expect(await count('from=2025-01-16&to=2025-01-16')).toBe(1);
    expect(await count('from=2025-07-15&to=2025-07-15')).toBe(1);
    expect(await count('from=2025-07-16')).toBe(0);
    expect(await count('to=2025-01-14')).toBe(0);
    expect(await count('from=2025-01-01&to=2025-12-31')).toBe(3);
    // The chained entries written here still verify.
    expect((await get(admin, '/api/audit/verify')).json()).toMatchObject({ ok: true });
  });

  it('refuses malformed filters with field messages', async () => {
    for (const q of ['from=2025-13-01', 'to=igår', 'actorId=inte-ett-id', 'limit=0', 'limit=501', 'offset=-1']) {
      const res = await get(admin, `/api/audit?${q}`);
      expect(res.statusCode, q).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
      expect(res.json().error.fields[0].path).toBe(`querystring.${q.split('=')[0]}`);
    }
  });

  it('verifies the chain, and notices an edit', async () => {
    const ok = (await get(admin, '/api/audit/verify')).json();
    expect(ok.ok).toBe(true);
    expect(ok.checked).toBeGreaterThan(10);
    const { rows } = await ctx.database.db.execute<{ id: number }>(sql`select id from audit_log order by id limit 1 offset 3`);
    await ctx.database.db.execute(sql`update audit_log set action = 'ändrad' where id = ${rows[0].id}`);
    const bad = (await get(admin, '/api/audit/verify')).json();
    expect(bad).toMatchObject({ ok: false, firstBad: { id: Number(rows[0].id), problem: 'edited' } });
  });

  it('is readable with a right on the municipality only', async () => {
    expect((await get(await signIn(ctx.app, 'samordnare@lund.example'), '/api/audit')).statusCode).toBe(200);
    for (const email of ['admin.son@lund.example', 'rapportor.son@lund.example', 'lasare@lund.example', 'polisen@lund.example']) {
      const res = await get(await signIn(ctx.app, email), '/api/audit');
      expect(res.statusCode, email).toBe(403);
    }
    expect((await ctx.app.inject({ method: 'GET', url: '/api/audit' })).statusCode).toBe(401);
  });
});
