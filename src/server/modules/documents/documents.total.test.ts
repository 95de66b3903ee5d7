import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorFromDb } from '../../../../test/helpers/actors.ts';
import { sql, type SQL } from 'drizzle-orm';
import { createTestApp, type TestContext } from '../../../../test/helpers/app.ts';
import { loadOrgTree } from '../../lib/context.ts';
import { uuids } from '../../db/helpers.ts';
import { accessOf } from '../../access/index.ts';
import type { DocumentQuery } from '../../../shared/schemas/documents.ts';
import { documentsRepo } from './documents.repo.ts';

/**
 * The register's total (documentsRepo.list) is a sum over kept counter rows when filtered by type, status and owner
 * at most: document_status_counts (owner × status × secret) without a type filter, less the expired for *in force*;
 * document_counts (× type × validity end of those in force) with one, *in force* there the rows ending today or
 * later (issue #12 item 1). Whatever the source, it must be the number of documents
 * the reader may see under the filter: for every seeded user and a set of filters, the total equals a plain
 * count(*) over the documents, with the document rule and the filter written out here in full — over drafts,
 * adopted and secret documents of every organisation and type, some in force past their validity.
 */
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(async () => {
  await ctx.close();
});

describe('documentsRepo.list: the total is the count of the rows the reader may see', () => {
  it('for every user and filter (type, status, owner, in force, expired), secret documents included', async () => {
    const db = ctx.database.db;
    const today = (await db.execute<{ d: string }>(sql`select current_date::text as d`)).rows[0].d;
    // Every organisation × status × two types × secret or not; in force ones past their validity (expired),
    // with a validity ending today or still running, and without one.
    await db.execute(sql`
      insert into governing_documents (type, title, owner_organisation_id, status, secrecy_ref, valid_to, replaced_by_id)
      select t.type, 'Summatest ' || o.name || ' ' || s.status || ' ' || t.type || coalesce(' ' || m.ref, '') || coalesce(' ' || v.valid_to, ''), o.id, s.status, m.ref,
        case when s.status = 'in_force' then v.valid_to end, null
      from organisations o
      cross join (values ('draft'), ('in_force'), ('repealed')) s(status)
      cross join (values ('policy'), ('routine')) t(type)
      cross join (values (null), ('18 kap. 8 § OSL')) m(ref)
      cross join (values (null::date), (${today}::date - 3), (${today}::date), (${today}::date + 30)) v(valid_to)
      where s.status = 'in_force' or v.valid_to is null`);
    const orgs = (await db.execute<{ id: string }>(sql`select id from organisations order by name`)).rows.map((r) => r.id);
    const tree = await loadOrgTree(db);
    const users = (await db.execute<{ id: string }>(sql`select distinct user_id as id from role_grants order by 1`)).rows;
    const filters: Partial<DocumentQuery>[] = [
      {},
      { status: 'draft' },
      { status: 'in_force' },
      { status: 'repealed' },
      { status: 'expired' },
      { type: 'policy' },
      { type: 'routine', status: 'in_force' },
      { type: 'policy', status: 'expired' },
      { ownerOrganisationId: orgs[1] },
      { ownerOrganisationId: orgs[2], status: 'in_force' },
      { ownerOrganisationId: orgs[2], status: 'draft', type: 'policy' },
      { ownerOrganisationId: orgs[3], type: 'routine', status: 'in_force' },
    ];
    /** The filter written out: in force is in force today, expired in force with its validity run out. */
    const filterOf = (f: Partial<DocumentQuery>): SQL => {
      const parts: SQL[] = [sql`true`];
      if (f.type) parts.push(sql`d.type = ${f.type}`);
      if (f.ownerOrganisationId) parts.push(sql`d.owner_organisation_id = ${f.ownerOrganisationId}`);
      if (f.status === 'in_force') parts.push(sql`d.status = 'in_force' and (d.valid_to is null or d.valid_to >= ${today}::date)`);
      else if (f.status === 'expired') parts.push(sql`d.status = 'in_force' and d.valid_to < ${today}::date`);
      else if (f.status) parts.push(sql`d.status = ${f.status}`);
      return sql.join(parts, sql` and `);
    };
    let hidesSecrets = 0;
    let seesSecrets = 0;
    let compared = 0;
    for (const u of users) {
      const a = accessOf(await actorFromDb(db, { id: u.id }), tree);
      const read = a.scope('documents.read');
      const manage = a.scope('documents.manage');
      if (!read.length && !manage.length) continue;
      // The document rule written out (access/rules.ts: adopted and not secret for readers, drafts for readers of
      // the owner, secret ones for managers of the owner).
      const rule = sql`((d.secrecy_ref is null and (d.status <> 'draft' or d.owner_organisation_id = any(${uuids(read)}))) or d.owner_organisation_id = any(${uuids(manage)}))`;
      const secretSeen = (await db.execute<{ n: number }>(sql`select count(*)::int as n from governing_documents d where ${rule} and d.secrecy_ref is not null`)).rows[0].n;
      if (secretSeen === 0) hidesSecrets++;
      else seesSecrets++;
      for (const f of filters) {
        const expected = (await db.execute<{ n: number }>(sql`select count(*)::int as n from governing_documents d where ${rule} and ${filterOf(f)}`)).rows[0].n;
        const got = await documentsRepo.list(db, a, { ...f, limit: 5, offset: 0 }, today, 30);
        expect(got.total, `user ${u.id} ${JSON.stringify(f)}`).toBe(expected);
        // A page past the end counts on its own: the same total.
        const past = await documentsRepo.list(db, a, { ...f, limit: 5, offset: expected + 5 }, today, 30);
        expect(past, `user ${u.id} ${JSON.stringify(f)}, past the end`).toEqual({ rows: [], total: expected });
        compared++;
      }
    }
    // A reader who may not see the secret documents and one who may (else the test could not fail for either).
    expect(hidesSecrets).toBeGreaterThan(0);
    expect(seesSecrets).toBeGreaterThan(0);
    expect(compared).toBeGreaterThan(filters.length * 2);
  });

  it('document_status_counts is document_counts without the type; both follow the register after every kind of change', async () => {
    const db = ctx.database.db;
    const rowsOf = async (q: SQL) => (await db.execute<Record<string, unknown>>(q)).rows.map((r) => JSON.stringify(Object.values(r))).sort();
    const same = async (what: string) => {
      const grouped = await rowsOf(sql`select owner_organisation_id, status, secrecy_ref is not null, count(*)::int from governing_documents group by 1, 2, 3`);
      expect(await rowsOf(sql`select owner_organisation_id, status, secret, n::int from document_status_counts where n <> 0`), what).toEqual(grouped);
      expect(await rowsOf(sql`select owner_organisation_id, status, secret, sum(n)::int from document_counts group by 1, 2, 3 having sum(n) <> 0`), what).toEqual(grouped);
    };
    await same('as seeded');
    const [org1, org2] = (await db.execute<{ id: string }>(sql`select id from organisations order by name limit 2`)).rows.map((r) => r.id);
    const inserted = (await db.execute<{ id: string }>(sql`
      insert into governing_documents (type, title, owner_organisation_id, status) select 'plan', 'Rulltest ' || i, ${org1}, 'draft' from generate_series(1, 5) i returning id`)).rows.map((r) => r.id);
    await same('inserted');
    await db.execute(sql`update governing_documents set status = 'in_force' where id = any(${uuids(inserted.slice(0, 3))})`);
    await same('status changed');
    await db.execute(sql`update governing_documents set owner_organisation_id = ${org2}, type = 'routine' where id = ${inserted[0]}`);
    await same('owner and type changed');
    await db.execute(sql`update governing_documents set type = 'policy' where id = ${inserted[1]}`);
    await same('type alone changed');
    await db.execute(sql`update governing_documents set secrecy_ref = '18 kap. 8 § OSL' where id = any(${uuids(inserted.slice(1, 4))})`);
    await same('marked secret');
    await db.execute(sql`update governing_documents set valid_to = current_date - 1 where id = ${inserted[1]}`);
    await same('validity ended');
    await db.execute(sql`update governing_documents set valid_to = current_date + 10 where id = ${inserted[1]}`);
    await same('validity moved');
    await db.execute(sql`delete from governing_documents where id = any(${uuids(inserted.slice(2))})`);
    await same('deleted');
    // document_counts keyed by the validity end of the documents in force (else 'infinity').
    expect(
      await rowsOf(sql`select owner_organisation_id, status, type, secret, ends_on::text, n::int from document_counts where n <> 0`),
    ).toEqual(
      await rowsOf(sql`select owner_organisation_id, status, type, secrecy_ref is not null, (case when status = 'in_force' and valid_to is not null then valid_to else 'infinity' end)::text, count(*)::int
        from governing_documents group by 1, 2, 3, 4, 5`),
    );
  });
});
