/**
 * Lists at scale and bad input on them (issue #12, item 1 and "Bad input"; docs/architecture.md).
 *
 * - The case, assignments, plan-actions and governing-documents lists count on their own (not `count(*) over ()`):
 *   for every demo user and a few filters the total is the number of rows the user gets when the whole list
 *   is fetched, pages put together give the whole list in the same order, and a page past the end still
 *   carries the total.
 * - Bad input is refused with its own 4xx and a Swedish message: a page deeper than MAX_LIST_OFFSET
 *   (PAGE_TOO_DEEP), a period over ten years (PERIOD_TOO_LONG), a filter given many times (TOO_MANY_FILTERS),
 *   a box outside the world (VALIDATION_FAILED); a box around the world is answered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestContext } from '../helpers/app.ts';
import { orgId, signIn } from '../helpers/factories.ts';
import { api, expectError } from '../helpers/http.ts';
import { MAX_LIST_OFFSET } from '../../src/shared/limits.ts';
import { sv } from '../../src/shared/i18n/sv.ts';
import { accessOf, assignmentVisibleSql, caseVisibleSql } from '../../src/server/access/index.ts';
import { loadOrgTree } from '../../src/server/lib/context.ts';
import { uuids } from '../../src/server/db/helpers.ts';

let ctx: TestContext;
const cookies: Record<string, string> = {};
const ids: Record<string, string> = {};
const { call, ok } = api(() => ctx.app);

const USERS = ['admin', 'samordnare', 'lasare', 'rapportor.son', 'rapportor.tn', 'handlaggare', 'polisen'];

beforeAll(async () => {
  ctx = await createTestApp();
  for (const u of USERS) cookies[u] = await signIn(ctx.app, `${u}@lund.example`);
  for (const k of ['lund', 'ks', 'son', 'tn']) ids[k] = await orgId(ctx.database, k);
});
afterAll(async () => {
  await ctx?.close();
});

type Page = { items: { id: string }[]; total: number };
const qs = (q: Record<string, string | number | undefined>) =>
  Object.entries(q)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join('&');

/** The whole list for a user, and the same list in pages of `size`: equal totals, rows and order. */
async function checkList(cookie: string, path: string, filter: Record<string, string | undefined>, size: number, max = 500) {
  const all: Page = await ok(cookie, 'GET', `${path}?${qs({ ...filter, limit: max })}`);
  expect(all.items.length).toBeLessThan(max);
  expect(all.total, `${path} ${JSON.stringify(filter)}`).toBe(all.items.length);
  const paged: string[] = [];
  for (let offset = 0; offset < all.total; offset += size) {
    const page: Page = await ok(cookie, 'GET', `${path}?${qs({ ...filter, limit: size, offset })}`);
    expect(page.total).toBe(all.total);
    paged.push(...page.items.map((r) => r.id));
  }
  expect(paged).toEqual(all.items.map((r) => r.id));
  // Past the end: no rows, the total still there.
  const past: Page = await ok(cookie, 'GET', `${path}?${qs({ ...filter, limit: size, offset: all.total + size })}`);
  expect(past).toMatchObject({ items: [], total: all.total });
  return all.total;
}

describe('list totals count what the user may see (issue #12 item 1)', () => {
  it('assignments: for every user and filter the total is the rows they get, pages join up, a page past the end keeps the total', async () => {
    const totals = new Set<number>();
    for (const u of USERS)
      for (const filter of [{}, { status: 'open' }, { organisationId: ids.son }]) {
        // Some roles may not list assignments at all (the route matrix covers that).
        if ((await call(cookies[u], 'GET', `/api/assignments?${qs(filter)}`)).statusCode === 403) continue;
        totals.add(await checkList(cookies[u], '/api/assignments', filter, 2));
      }
    // The demo has assignments that some see and others not: the totals differ between users and filters.
    expect(Math.max(...totals)).toBeGreaterThan(0);
    expect(totals.size).toBeGreaterThan(1);
  });

  it('plan actions: the same for every user and filter', async () => {
    const totals = new Set<number>();
    for (const u of USERS)
      for (const filter of [{}, { status: 'in_progress' }, { organisationId: ids.son }, { mine: 'true' }]) {
        const res = await call(cookies[u], 'GET', `/api/actions?${qs(filter)}`);
        if (res.statusCode === 403) continue;
        totals.add(await checkList(cookies[u], '/api/actions', filter, 3));
      }
    expect(Math.max(...totals)).toBeGreaterThan(0);
    expect(totals.size).toBeGreaterThan(1);
  });

  it('governing documents: the same for every user and filter, also with a text query (ranked)', async () => {
    const totals = new Set<number>();
    for (const u of USERS)
      for (const filter of [{}, { status: 'in_force' }, { status: 'expired' }, { status: 'in_force', ownerOrganisationId: ids.ks }, { ownerOrganisationId: ids.ks }, { q: 'trygghet' }]) {
        const res = await call(cookies[u], 'GET', `/api/documents?${qs(filter)}`);
        if (res.statusCode === 403) continue;
        totals.add(await checkList(cookies[u], '/api/documents', filter, 2));
      }
    expect(Math.max(...totals)).toBeGreaterThan(0);
    expect(totals.size).toBeGreaterThan(1);
  });
});

describe('case_counts (the case list total, migration 0027)', () => {
  const NONE = '00000000-0000-0000-0000-000000000000';
  const rowsOf = async (q: ReturnType<typeof sql>) => (await ctx.database.db.execute<Record<string, unknown>>(q)).rows.map((r) => JSON.stringify(Object.values(r))).sort();
  const same = async (what: string) =>
    expect(await rowsOf(sql`select organisation_id, registry_organisation_id, officer_id, secret, status, n::int from case_counts where n <> 0`), what).toEqual(
      await rowsOf(sql`select organisation_id, registry_organisation_id, coalesce(officer_id, ${NONE}::uuid), secrecy_ref is not null, status, count(*)::int from cases group by 1, 2, 3, 4, 5`),
    );
  let officer = '';
  /** Every user's total is the rows they get, for the filters the counts serve and for those that count rows. */
  const totalsFollow = async () => {
    const totals = new Set<number>();
    for (const u of USERS)
      for (const filter of [{}, { status: 'open' }, { organisationId: ids.son }, { officerId: officer }, { status: 'open', organisationId: ids.ks }, { year: '2026' }])
        if ((await call(cookies[u], 'GET', '/api/cases')).statusCode !== 403) totals.add(await checkList(cookies[u], '/api/cases', filter, 25, 200));
    return totals;
  };

  it('stays equal to the cases grouped after inserts, status, organisation and officer changes, secrecy marking and deletion; every user\'s total is the rows they get', async () => {
    const db = ctx.database.db;
    officer = (await db.execute<{ id: string }>(sql`select id from users where email = 'handlaggare@lund.example'`)).rows[0].id;
    expect((await rowsOf(sql`select * from case_counts where n <> 0`)).length).toBeGreaterThan(0);
    await same('as seeded');
    const totals = await totalsFollow();
    // The demo has cases some see and others not: the totals differ between users and filters.
    expect(Math.max(...totals)).toBeGreaterThan(0);
    expect(totals.size).toBeGreaterThan(1);
    const [c] = (await db.execute<{ id: string }>(sql`
      insert into cases (series, year, seq, registry_number, title, case_type, registry_organisation_id, organisation_id, status, registered_on)
      values ('KS', 2026, 9901, 'KS 2026/9901', 'Räkneärende', 'Uppdrag', ${ids.ks}, ${ids.son}, 'open', '2026-01-02'),
             ('KS', 2026, 9902, 'KS 2026/9902', 'Räkneärende 2', 'Uppdrag', ${ids.ks}, ${ids.tn}, 'dormant', '2026-01-03') returning id`)).rows;
    await same('inserted');
    await db.execute(sql`update cases set status = 'closed', organisation_id = ${ids.tn} where id = ${c.id}`);
    await same('status and organisation changed');
    await db.execute(sql`update cases set officer_id = ${officer} where id = ${c.id}`);
    await same('officer set');
    await db.execute(sql`update cases set title = title || ' (ändrad)' where id = ${c.id}`);
    await same('title changed (no key)');
    await db.execute(sql`update cases set secrecy_ref = '18 kap. 8 § OSL', officer_id = null where id = ${c.id}`);
    await same('marked secret, officer removed');
    // The secret case leaves the reader's total and rows alike; the coordinator (cases.secret) keeps it.
    await totalsFollow();
    await db.execute(sql`update cases set secrecy_ref = null where id = ${c.id}`);
    await same('secrecy removed');
    await db.execute(sql`delete from cases where registry_number in ('KS 2026/9901', 'KS 2026/9902')`);
    await same('deleted');
    await totalsFollow();
  });
});

describe('assignment_counts (the assignments list total, migration 0022)', () => {
  const NONE = '00000000-0000-0000-0000-000000000000';
  const rowsOf = async (q: ReturnType<typeof sql>) => (await ctx.database.db.execute<Record<string, unknown>>(q)).rows.map((r) => JSON.stringify(Object.values(r))).sort();
  const grouped = () =>
    rowsOf(sql`select a.organisation_id, a.status, c.organisation_id as co, c.registry_organisation_id as cr, coalesce(c.officer_id, ${NONE}::uuid) as cf,
      c.secrecy_ref is not null as cs, count(*)::int as n from assignments a join cases c on c.id = a.case_id group by 1, 2, 3, 4, 5, 6`);
  const kept = () =>
    rowsOf(sql`select organisation_id, status, case_organisation_id, case_registry_organisation_id, case_officer_id, case_secret, n::int from assignment_counts where n <> 0`);
  const same = async (what: string) => expect(await kept(), what).toEqual(await grouped());

  it('the assignment rule for a reader of every organisation (the case rule alone) lets through exactly the assignments of the rule written out', async () => {
    const db = ctx.database.db;
    const tree = await loadOrgTree(db);
    const me = (await db.execute<{ id: string }>(sql`select id from users where email = 'lasare@lund.example'`)).rows[0].id;
    const reader = accessOf({ id: me, name: 'L', email: '', sessionId: '', grants: [{ organisationId: ids.lund, role: 'reader', includeSubtree: true }] }, tree);
    expect(reader.everywhere('cases.read')).toBe(true);
    expect(reader.everywhere('cases.secret')).toBe(false);
    const idsOf = async (clause: ReturnType<typeof sql>) =>
      (await db.execute<{ id: string }>(sql`select a.id from assignments a join cases c on c.id = a.case_id where ${clause} order by a.id`)).rows.map((r) => r.id);
    const writtenOut = sql`(${caseVisibleSql(reader)} or (c.secrecy_ref is null and a.organisation_id = any(${uuids(reader.scope('cases.read'))})))`;
    const [a] = (await db.execute<{ case_id: string; officer_id: string | null }>(sql`
      select a.case_id, c.officer_id from assignments a join cases c on c.id = a.case_id order by a.id limit 1`)).rows;
    const ofCase = await idsOf(sql`a.case_id = ${a.case_id}`);
    expect(ofCase.length).toBeGreaterThan(0);
    // As seeded (no secret case): every assignment.
    expect(await idsOf(assignmentVisibleSql(reader))).toEqual(await idsOf(writtenOut));
    expect(await idsOf(assignmentVisibleSql(reader))).toEqual(await idsOf(sql`true`));
    // The case marked secret, without officer (reverted at the end): its assignments leave, the others stay.
    await db.execute(sql`update cases set secrecy_ref = '18 kap. 8 § OSL', officer_id = null where id = ${a.case_id}`);
    try {
      const visible = await idsOf(assignmentVisibleSql(reader));
      expect(visible).toEqual(await idsOf(writtenOut));
      expect(visible).toEqual((await idsOf(sql`true`)).filter((id) => !ofCase.includes(id)));
    } finally {
      await db.execute(sql`update cases set secrecy_ref = null, officer_id = ${a.officer_id} where id = ${a.case_id}`);
    }
  });

  it('stays equal to the assignments grouped with their cases after inserts, status and organisation changes, case changes, secrecy marking and deletion; the totals follow', async () => {
    const db = ctx.database.db;
    expect((await kept()).length).toBeGreaterThan(0);
    await same('as seeded');
    const [a] = (await db.execute<{ id: string; case_id: string; decision_id: string }>(sql`select id, case_id, decision_id from assignments order by id limit 1`)).rows;
    const officer = (await db.execute<{ id: string }>(sql`select id from users where email = 'handlaggare@lund.example'`)).rows[0].id;
    await db.execute(sql`update assignments set status = case when status = 'open' then 'done' else 'open' end where id = ${a.id}`);
    await same('status changed');
    await db.execute(sql`update assignments set organisation_id = ${ids.tn} where case_id = ${a.case_id}`);
    await same('assignee changed');
    await db.execute(sql`update cases set organisation_id = ${ids.son} where id = ${a.case_id}`);
    await same('case organisation changed');
    await db.execute(sql`update cases set officer_id = ${officer} where id = ${a.case_id}`);
    await same('case officer set');
    await db.execute(sql`update cases set title = title || ' (ändrad)' where id = ${a.case_id}`);
    await same('case title changed (no key)');
    await db.execute(sql`update cases set secrecy_ref = '18 kap. 8 § OSL' where id = ${a.case_id}`);
    await same('case marked secret');
    // The secret case's assignments leave the reader's total and rows alike.
    for (const u of USERS) if ((await call(cookies[u], 'GET', '/api/assignments')).statusCode !== 403) await checkList(cookies[u], '/api/assignments', {}, 5);
    const [clause] = (await db.execute<{ id: string }>(sql`
      insert into decision_clauses (decision_id, ordinal, text, effect, assignee_organisation_id) values (${a.decision_id}, 99, 'Uppdra åt tekniska nämnden', 'assignment', ${ids.tn}) returning id`)).rows;
    await db.execute(sql`insert into assignments (clause_id, decision_id, case_id, organisation_id, text) values (${clause.id}, ${a.decision_id}, ${a.case_id}, ${ids.tn}, 'Nytt uppdrag')`);
    await same('inserted');
    await db.execute(sql`update cases set secrecy_ref = null, officer_id = null where id = ${a.case_id}`);
    await same('secrecy and officer removed');
    await db.execute(sql`delete from assignment_actions where assignment_id in (select id from assignments where case_id = ${a.case_id})`);
    await db.execute(sql`delete from assignments where case_id = ${a.case_id}`);
    await same('deleted');
    for (const u of USERS) if ((await call(cookies[u], 'GET', '/api/assignments')).statusCode !== 403) await checkList(cookies[u], '/api/assignments', {}, 5);
  });
});

describe('document_counts and document_status_counts (the register total, migrations 0022 and 0032)', () => {
  const rowsOf = async (q: ReturnType<typeof sql>) => (await ctx.database.db.execute<Record<string, unknown>>(q)).rows.map((r) => JSON.stringify(Object.values(r))).sort();
  const same = async (what: string) => {
    expect(await rowsOf(sql`select owner_organisation_id, status, type, secret, ends_on::text, n::int from document_counts where n <> 0`), what).toEqual(
      await rowsOf(sql`select owner_organisation_id, status, type, secrecy_ref is not null, (case when status = 'in_force' and valid_to is not null then valid_to else 'infinity' end)::text, count(*)::int
        from governing_documents group by 1, 2, 3, 4, 5`),
    );
    expect(await rowsOf(sql`select owner_organisation_id, status, secret, n::int from document_status_counts where n <> 0`), `document_status_counts ${what}`).toEqual(
      await rowsOf(sql`select owner_organisation_id, status, secrecy_ref is not null, count(*)::int from governing_documents group by 1, 2, 3`),
    );
  };
  const totalsFollow = async () => {
    for (const u of USERS)
      for (const filter of [{}, { status: 'draft' }, { status: 'in_force' }, { status: 'expired' }, { ownerOrganisationId: ids.son }, { type: 'plan' }, { type: 'policy', status: 'in_force' }])
        if ((await call(cookies[u], 'GET', '/api/documents')).statusCode !== 403) await checkList(cookies[u], '/api/documents', filter, 4);
  };

  it('stays equal to the register grouped after inserts, status, owner and type changes, secrecy marking and deletion; the totals follow', async () => {
    const db = ctx.database.db;
    await same('as seeded');
    const [d] = (await db.execute<{ id: string }>(sql`
      insert into governing_documents (type, title, owner_organisation_id, status) values ('routine', 'Rutin för bänktest', ${ids.son}, 'draft'), ('policy', 'Policy för bänktest', ${ids.tn}, 'in_force') returning id`)).rows;
    await same('inserted');
    await totalsFollow();
    await db.execute(sql`update governing_documents set owner_organisation_id = ${ids.tn}, type = 'plan' where id = ${d.id}`);
    await same('owner and type changed');
    await db.execute(sql`update governing_documents set secrecy_ref = '18 kap. 8 § OSL' where id = ${d.id}`);
    await same('marked secret');
    await totalsFollow();
    await db.execute(sql`update governing_documents set status = 'in_force', secrecy_ref = null where id = ${d.id}`);
    await same('in force, secrecy removed');
    // In force past its validity: out of the in-force total (the kept count less the expired), into the expired one.
    await db.execute(sql`update governing_documents set valid_to = current_date - 1 where id = ${d.id}`);
    await same('validity ended');
    await totalsFollow();
    await db.execute(sql`delete from governing_documents where id = ${d.id}`);
    await same('deleted');
    await totalsFollow();
  });
});

describe('police_event_counts (the police list total without a period or box, migration 0029)', () => {
  const rowsOf = async (q: ReturnType<typeof sql>) => (await ctx.database.db.execute<Record<string, unknown>>(q)).rows.map((r) => JSON.stringify(Object.values(r))).sort();
  const same = async (what: string) =>
    expect(await rowsOf(sql`select type, n::int from police_event_counts where n <> 0`), what).toEqual(await rowsOf(sql`select type, count(*)::int from police_events group by 1`));
  const totalsFollow = async () => {
    for (const u of ['samordnare', 'lasare'])
      for (const filter of [{}, { type: 'Stöld' }, { type: 'Brand' }, { from: '2026-01-05T00:00:00Z' }]) await checkList(cookies[u], '/api/police-events', filter, 4);
  };

  it('stays equal to the events grouped by type after inserts, type changes, deletion and truncation; the totals follow', async () => {
    const db = ctx.database.db;
    await same('as seeded');
    await db.execute(sql`
      insert into police_events (id, datetime, name, summary, type, location_name, lat, lon)
      select 990000 + i, timestamptz '2026-01-01T12:00:00Z' + i * interval '1 day', 'Händelse ' || i, '', (array['Stöld', 'Brand', 'Skadegörelse'])[1 + i % 3], 'Lund', 55.7, 13.19
      from generate_series(1, 11) i`);
    await same('inserted');
    await totalsFollow();
    // 990003 was a theft, 990005 vandalism: both become fires.
    await db.execute(sql`update police_events set type = 'Brand' where id in (990003, 990005)`);
    await same('type changed');
    await totalsFollow();
    await db.execute(sql`delete from police_events where id in (990002, 990006)`);
    await same('deleted');
    await totalsFollow();
    await db.execute(sql`truncate police_events`);
    await same('truncated');
    expect((await ok(cookies.samordnare, 'GET', '/api/police-events')).total).toBe(0);
  });
});

describe('incident_counts and incident_reporter_counts (the incidents list total, migrations 0015 and 0031)', () => {
  const rowsOf = async (q: ReturnType<typeof sql>) => (await ctx.database.db.execute<Record<string, unknown>>(q)).rows.map((r) => JSON.stringify(Object.values(r))).sort();
  const secret = sql`(restricted or secrecy_ref is not null)`;
  const same = async (what: string) => {
    expect(await rowsOf(sql`select organisation_id, secret, status, category_id, n::int from incident_counts where n <> 0`), `incident_counts ${what}`).toEqual(
      await rowsOf(sql`select organisation_id, ${secret}, status, category_id, count(*)::int from incidents group by 1, 2, 3, 4`),
    );
    expect(await rowsOf(sql`select reported_by, organisation_id, secret, status, category_id, n::int from incident_reporter_counts where n <> 0`), `incident_reporter_counts ${what}`).toEqual(
      await rowsOf(sql`select reported_by, organisation_id, ${secret}, status, category_id, count(*)::int from incidents group by 1, 2, 3, 4, 5`),
    );
  };
  const user = async (email: string) => (await ctx.database.db.execute<{ id: string }>(sql`select id from users where email = ${email}`)).rows[0].id;
  const category = async (key: string) => (await ctx.database.db.execute<{ id: string }>(sql`select id from incident_categories where key = ${key}`)).rows[0].id;
  /** Every user who may list incidents, every filter the counts answer (and `mine` with them), and one that counts the rows. */
  const totalsFollow = async (cats: Record<string, string>) => {
    const filters: Record<string, string | undefined>[] = [{}, { status: 'new' }, { status: 'closed' }, { categoryId: cats.staff_threat }, { categoryId: cats.vandalism },
      { organisationId: ids.son }, { organisationId: ids.tn }, { organisationId: ids.ks }, { categoryId: cats.staff_threat, organisationId: ids.son, status: 'new' },
      { from: '1900-01-01T00:00:00Z' }];
    for (const u of USERS) {
      if ((await call(cookies[u], 'GET', '/api/incidents?limit=1')).statusCode !== 200) continue;
      for (const filter of filters) {
        await checkList(cookies[u], '/api/incidents', filter, 7);
        await checkList(cookies[u], '/api/incidents', { ...filter, mine: 'true' }, 7);
      }
    }
  };

  it('stay equal to the incidents grouped after inserts, changes of reporter, restriction, secrecy, category, organisation and status, deletion and truncation; every user’s total is their rows', async () => {
    const db = ctx.database.db;
    const cats = { staff_threat: await category('staff_threat'), vandalism: await category('vandalism'), graffiti: await category('graffiti') };
    const reader = await user('lasare@lund.example');
    const reporterSon = await user('rapportor.son@lund.example');
    const reporterTn = await user('rapportor.tn@lund.example');
    await same('as seeded');
    // One statement, several reporters: the reader's own restricted reports (visible to them by the reporter tie
    // alone), an open one, and Tekniska nämnden's reporter's reports in organisations they may not read.
    await db.execute(sql`
      insert into incidents (category_id, description, occurred_at, known_at, organisation_id, reported_by, status, restricted)
      select (array[${cats.staff_threat}, ${cats.staff_threat}, ${cats.vandalism}, ${cats.graffiti}, ${cats.staff_threat}, ${cats.vandalism}]::uuid[])[1 + i % 6],
        'Räknas ' || i, now() - i * interval '1 hour', now() - i * interval '1 hour',
        (array[${ids.son}, ${ids.tn}, ${ids.son}, ${ids.ks}, ${ids.ks}, ${ids.son}]::uuid[])[1 + i % 6],
        (array[${reader}, ${reader}, ${reader}, ${reporterTn}, ${reporterTn}, ${reporterSon}]::uuid[])[1 + i % 6],
        (array['new', 'in_progress', 'closed'])[1 + i % 3], i % 6 in (0, 1, 4)
      from generate_series(0, 29) i`);
    await same('inserted');
    await totalsFollow(cats);
    const mine = (await db.execute<{ id: string }>(sql`select id from incidents where reported_by = ${reader} and restricted order by occurred_at limit 4`)).rows.map((r) => r.id);
    expect(mine.length).toBe(4);
    await db.execute(sql`update incidents set reported_by = ${reporterSon} where id = ${mine[0]}`);
    await same('reporter changed');
    await db.execute(sql`update incidents set restricted = false where id = ${mine[1]}`);
    await same('restriction lifted');
    await db.execute(sql`update incidents set restricted = true where reported_by = ${reporterSon} and not restricted`);
    await same('restricted');
    await db.execute(sql`update incidents set secrecy_ref = '18 kap. 8 § OSL', category_id = ${cats.graffiti} where id = ${mine[2]}`);
    await same('secrecy marked, category changed');
    await db.execute(sql`update incidents set organisation_id = ${ids.tn}, status = 'closed' where id = ${mine[3]}`);
    await same('organisation and status changed');
    await db.execute(sql`update incidents set description = description`);
    await same('every row updated, no key changed');
    await totalsFollow(cats);
    await db.execute(sql`delete from incident_links where incident_id in (select id from incidents where description like 'Räknas %' and reported_by = ${reporterTn})`);
    await db.execute(sql`delete from incidents where description like 'Räknas %' and reported_by = ${reporterTn}`);
    await same('deleted');
    await totalsFollow(cats);
    // Emptied (as a restore does first): both go, in the same transaction.
    await db
      .transaction(async (tx) => {
        await tx.execute(sql`truncate incidents cascade`);
        const left = await tx.execute<{ n: number }>(sql`select (select count(*) from incident_counts) + (select count(*) from incident_reporter_counts) as n`);
        expect(Number(left.rows[0].n)).toBe(0);
        tx.rollback();
      })
      .catch((e: Error) => {
        if (!/rollback/i.test(e.message)) throw e;
      });
    await same('truncation rolled back');
  });
});

/** Every list route with a page (offset): the deepest page allowed answers, one further is refused. */
const LISTS = ['/api/incidents', '/api/cases', '/api/documents', '/api/actions', '/api/assignments', '/api/police-events', '/api/audit', '/api/users', '/api/admin/jobs', '/api/admin/outbox'];

describe('bad input on lists and the lägesbild (issue #12, "Bad input")', () => {
  it('a page deeper than the maximum offset is refused with PAGE_TOO_DEEP and a Swedish text; the deepest allowed page answers', async () => {
    for (const path of LISTS) {
      const deepest = await call(cookies.admin, 'GET', `${path}?limit=50&offset=${MAX_LIST_OFFSET}`);
      expect(deepest.statusCode, `${path} ${deepest.body}`).toBe(200);
      expect(deepest.json().items).toEqual([]);
      // Page 10 000 of 50 rows.
      const err = expectError(await call(cookies.admin, 'GET', `${path}?limit=50&offset=${50 * 9_999}`), 400, 'PAGE_TOO_DEEP');
      expect(err.message).toBe(sv.errors.PAGE_TOO_DEEP);
      expect(err.fields).toEqual([{ path: 'querystring.offset', message: sv.validation.pageTooDeep }]);
    }
  });

  it('a period over ten years is refused with PERIOD_TOO_LONG on the incident and police lists, the map, the statistics, the statistics export and a map extract; ten years answer', async () => {
    const fifty = { from: '1976-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' };
    const ten = { from: '2016-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' };
    const routes = ['/api/incidents', '/api/police-events', '/api/incident-map?bbox=13.0,55.6,13.4,55.8&zoom=12', '/api/incident-statistics'];
    for (const r of routes) {
      const sep = r.includes('?') ? '&' : '?';
      const err = expectError(await call(cookies.samordnare, 'GET', `${r}${sep}${qs(fifty)}`), 400, 'PERIOD_TOO_LONG');
      expect(err.message).toBe(sv.errors.PERIOD_TOO_LONG);
      expect(err.fields).toEqual([{ path: 'querystring.to', message: sv.validation.periodTooLong }]);
      expect((await call(cookies.samordnare, 'GET', `${r}${sep}${qs(ten)}`)).statusCode, r).toBe(200);
    }
    expectError(await call(cookies.samordnare, 'POST', '/api/exports', { kind: 'incidents.statistics', format: 'xlsx', params: fifty }), 400, 'PERIOD_TOO_LONG');
    expectError(await call(cookies.samordnare, 'POST', '/api/lagesbild/map-extracts', { title: 'Femtio år', bbox: '13.0,55.6,13.4,55.8', ...fifty }), 400, 'PERIOD_TOO_LONG');
  });

  it('500 filters at once (a filter given 500 times) are refused with TOO_MANY_FILTERS, the field named; one of them answers', async () => {
    const many = (k: string, v: string) => Array.from({ length: 500 }, () => `${k}=${v}`).join('&');
    const cases: [string, string, string][] = [
      ['/api/incidents', 'status', 'new'],
      ['/api/cases', 'status', 'open'],
      ['/api/documents', 'type', 'policy'],
      ['/api/actions', 'status', 'in_progress'],
      ['/api/assignments', 'status', 'open'],
      ['/api/police-events', 'type', 'Stöld'],
      ['/api/audit', 'action', 'create'],
      ['/api/incident-statistics?from=2025-01-01T00:00:00Z&to=2026-01-01T00:00:00Z', 'status', 'new'],
      ['/api/incident-map?bbox=13.0,55.6,13.4,55.8&zoom=12', 'status', 'new'],
    ];
    for (const [path, key, value] of cases) {
      const sep = path.includes('?') ? '&' : '?';
      const err = expectError(await call(cookies.admin, 'GET', `${path}${sep}${many(key, encodeURIComponent(value))}`), 400, 'TOO_MANY_FILTERS');
      expect(err.message).toBe(sv.errors.TOO_MANY_FILTERS);
      expect(err.fields?.[0]).toEqual({ path: `querystring.${key}`, message: sv.validation.single });
      expect((await call(cookies.admin, 'GET', `${path}${sep}${key}=${encodeURIComponent(value)}`)).statusCode, path).toBe(200);
    }
  });

  it('a box around the world is answered (list, map, statistics); a box outside it is refused', async () => {
    const world = '-180,-90,180,90';
    const inLund: Page = await ok(cookies.samordnare, 'GET', `/api/incidents?bbox=${encodeURIComponent('13.0,55.6,13.4,55.8')}&limit=5`);
    const everywhere: Page = await ok(cookies.samordnare, 'GET', `/api/incidents?bbox=${encodeURIComponent(world)}&limit=5`);
    expect(everywhere.total).toBeGreaterThanOrEqual(inLund.total);
    expect(everywhere.total).toBeGreaterThan(0);
    await ok(cookies.samordnare, 'GET', `/api/police-events?bbox=${encodeURIComponent(world)}`);
    await ok(cookies.samordnare, 'GET', `/api/incident-map?bbox=${encodeURIComponent(world)}&zoom=0`);
    await ok(cookies.samordnare, 'GET', `/api/incident-statistics?from=2025-01-01T00:00:00Z&to=2026-01-01T00:00:00Z&bbox=${encodeURIComponent(world)}`);
    for (const bad of ['-181,-90,180,90', '0,-91,10,10', '10,0,0,10', `${'1'.repeat(300)},0,2,2`]) {
      for (const path of ['/api/incidents?', '/api/police-events?', '/api/incident-statistics?from=2025-01-01T00:00:00Z&to=2026-01-01T00:00:00Z&']) {
        const err = expectError(await call(cookies.samordnare, 'GET', `${path}bbox=${encodeURIComponent(bad)}`), 400, 'VALIDATION_FAILED');
        expect(err.fields?.[0].path).toBe('querystring.bbox');
      }
    }
  });
});
