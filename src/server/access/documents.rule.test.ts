import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorFromDb } from '../../../test/helpers/actors.ts';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestContext } from '../../../test/helpers/app.ts';
import { loadOrgTree } from '../lib/context.ts';
import { uuids } from '../db/helpers.ts';
import { accessOf, documentVisibleSql } from './index.ts';

/**
 * documentVisibleSql answers `true` for documents.manage on every organisation and leaves out the owner list for
 * documents.read on every organisation (issue #12: the register's statement compared each row's owner with every
 * organisation id, twice). Both shortcuts must be the rule itself: for every seeded user, the documents the clause
 * lets through are exactly those of the rule written out in full — over drafts, adopted and secret documents of
 * every organisation.
 */
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(async () => {
  await ctx.close();
});

describe('documentVisibleSql: the shortcuts for a reader or manager of every organisation are the rule', () => {
  it('lets through exactly the documents of the rule written out, for every user', async () => {
    const db = ctx.database.db;
    await db.execute(sql`
      insert into governing_documents (type, title, owner_organisation_id, status, secrecy_ref)
      select 'policy', 'Regeltest ' || o.name || ' ' || s.status || coalesce(' ' || m.ref, ''), o.id, s.status, m.ref
      from organisations o cross join (values ('draft'), ('in_force'), ('repealed')) s(status) cross join (values (null), ('18 kap. 8 § OSL')) m(ref)`);
    const tree = await loadOrgTree(db);
    const users = (await db.execute<{ id: string }>(sql`select distinct user_id as id from role_grants`)).rows;
    let manageEverywhere = 0;
    let readEverywhereOnly = 0;
    let narrow = 0;
    for (const u of users) {
      const a = accessOf(await actorFromDb(db, { id: u.id }), tree);
      const read = a.scope('documents.read');
      const manage = a.scope('documents.manage');
      if (a.everywhere('documents.manage')) manageEverywhere++;
      else if (a.everywhere('documents.read')) readEverywhereOnly++;
      else if (read.length || manage.length) narrow++;
      const got = (await db.execute<{ id: string }>(sql`select id from governing_documents where ${documentVisibleSql(a)} order by id`)).rows.map((r) => r.id);
      const rule = (await db.execute<{ id: string }>(sql`select id from governing_documents d
        where (d.secrecy_ref is null and (d.status <> 'draft' or d.owner_organisation_id = any(${uuids(read)})))
          or d.owner_organisation_id = any(${uuids(manage)}) order by id`)).rows.map((r) => r.id);
      expect(got, `user ${u.id}`).toEqual(rule);
    }
    // Each branch of the clause met at least once (else the test could not fail for it).
    expect(manageEverywhere).toBeGreaterThan(0);
    expect(readEverywhereOnly).toBeGreaterThan(0);
    expect(narrow).toBeGreaterThan(0);
  });
});
