/**
 * The plan-actions list's total and visibility (issue #12 item 1): the page and its total are counted apart
 * (no `count(*) over ()`) and the access core's plan-action clause takes a set form (hashed sets of contributed
 * actions and owned programmes' goals; `true` for a reader of every organisation). For the coordinator, the
 * reader, a committee reporter who sees only their part and a partner, after every kind of change (insert,
 * change of responsible organisation, contributors, programme owner and programme, deletion):
 *   - the rows listed are exactly those of the rule written out as it reads in docs (responsible, contributor or
 *     programme owner, each an `exists`), with and without filters;
 *   - the total is the number of rows listed, and pages put together give the whole list in order;
 *   - a page past the end keeps the total.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorFromDb } from '../../../../test/helpers/actors.ts';
import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { createTestApp, type TestContext } from '../../../../test/helpers/app.ts';
import { orgId } from '../../../../test/helpers/factories.ts';
import type { Actor } from '../../lib/policies.ts';
import { accessOf, actionVisibleSql } from '../../access/index.ts';
import { loadOrgTree } from '../../lib/context.ts';
import { uuids } from '../../db/helpers.ts';
import { actionsRepo, type ActionFilter } from './program.actions.repo.ts';
import { programRepo } from './program.repo.ts';

let ctx: TestContext;
const USERS = { coordinator: 'samordnare', reader: 'lasare', committeeReporter: 'rapportor.son', partner: 'polisen' } as const;
type Who = keyof typeof USERS;
const actors = {} as Record<Who, Actor>;
const org: Record<string, string> = {};
let programId: string;
let ownGoal: string;
let demoGoal: string;
let demoProgramId: string;

const db = () => ctx.database.db;
const exec = (q: ReturnType<typeof sql>) => db().execute(q);

const actorOf = (email: string) => actorFromDb(db(), { email });

/** The rule as written before the set form: the oracle, read straight from the tables. */
async function expectedIds(who: Who, where = sql`true`) {
  const tree = await loadOrgTree(db(), { fresh: true });
  const read = accessOf(actors[who], tree).scope('program.read');
  const r = await exec(sql`
    select a.id from plan_actions a
    where (a.responsible_organisation_id = any(${uuids(read)})
      or exists (select 1 from plan_action_contributors pc where pc.action_id = a.id and pc.organisation_id = any(${uuids(read)}))
      or exists (select 1 from goals g join focus_areas f on f.id = g.focus_area_id join programs p on p.id = f.program_id
                 where g.id = a.goal_id and p.owner_organisation_id = any(${uuids(read)})))
      and ${where}`);
  return (r.rows as { id: string }[]).map((x) => x.id).sort();
}

async function list(who: Who, f: Omit<ActionFilter, 'visible'> = {}) {
  const tree = await loadOrgTree(db(), { fresh: true });
  return actionsRepo.listActions(db(), { ...f, visible: actionVisibleSql(accessOf(actors[who], tree), 'a') });
}

const FILTERS: [string, () => Omit<ActionFilter, 'visible'>, () => ReturnType<typeof sql>][] = [
  ['no filter', () => ({}), () => sql`true`],
  ['status', () => ({ status: 'in_progress' }), () => sql`a.status = 'in_progress'`],
  ['programme', () => ({ programId }), () => sql`a.goal_id = ${ownGoal}`],
  ['responsible organisation', () => ({ organisationIds: [org.son] }), () => sql`a.responsible_organisation_id = ${org.son}`],
  [
    'involving (mine)',
    () => ({ involving: [org.son, org.polisen] }),
    () => sql`(a.responsible_organisation_id = any(${uuids([org.son, org.polisen])}) or exists (select 1 from plan_action_contributors c where c.action_id = a.id and c.organisation_id = any(${uuids([org.son, org.polisen])})))`,
  ],
];

/** Every user, every filter: listed rows = the rule's rows, total = rows, pages join up, past the end keeps the total. */
async function checkAll() {
  const totals: Record<string, number> = {};
  for (const who of Object.keys(USERS) as Who[]) {
    for (const [label, filter, where] of FILTERS) {
      const all = await list(who, filter());
      const expected = await expectedIds(who, where());
      expect([...all.map((r) => r.id)].sort(), `${who}, ${label}`).toEqual(expected);
      expect(all.total, `${who}, ${label}: total`).toBe(expected.length);
      const paged: string[] = [];
      for (let offset = 0; offset < all.total; offset += 3) {
        const page = await list(who, { ...filter(), limit: 3, offset });
        expect(page.total, `${who}, ${label}: total of the page at ${offset}`).toBe(all.total);
        paged.push(...page.map((r) => r.id));
      }
      expect(paged, `${who}, ${label}: pages`).toEqual(all.map((r) => r.id));
      const past = await list(who, { ...filter(), limit: 3, offset: all.total + 3 });
      expect(past.length).toBe(0);
      expect(past.total, `${who}, ${label}: past the end`).toBe(all.total);
      totals[`${who} ${label}`] = all.total;
    }
  }
  return totals;
}

beforeAll(async () => {
  ctx = await createTestApp();
  for (const [who, u] of Object.entries(USERS)) actors[who as Who] = await actorOf(`${u}@lund.example`);
  for (const k of ['ks', 'son', 'tn', 'polisen']) org[k] = await orgId(ctx.database, k);
  // A programme of the technical committee's own, with one focus area and one goal.
  const program = await programRepo.insertProgram(db(), { kind: 'program', title: 'Teknikprogram', ownerOrganisationId: org.tn });
  programId = program.id;
  const fa = (await exec(sql`insert into focus_areas (program_id, number, title) values (${programId}, 1, 'Fokus') returning id`)).rows[0] as { id: string };
  ownGoal = ((await exec(sql`insert into goals (focus_area_id, number, text) values (${fa.id}, 1, 'Mål') returning id`)).rows[0] as { id: string }).id;
  const demo = (await exec(sql`select g.id, f.program_id from goals g join focus_areas f on f.id = g.focus_area_id join programs p on p.id = f.program_id where p.id <> ${programId} order by f.number, g.number limit 1`)).rows[0] as { id: string; program_id: string };
  demoGoal = demo.id;
  demoProgramId = demo.program_id;
}, 120_000);
afterAll(async () => {
  await ctx?.close();
});

const insertAction = async (title: string, goalId: string, responsible: string, status = 'in_progress') =>
  ((await exec(sql`insert into plan_actions (goal_id, title, responsible_organisation_id, status) values (${goalId}, ${title}, ${responsible}, ${status}) returning id`)).rows[0] as { id: string }).id;

describe('plan actions list: total and rows for every role after every kind of change', () => {
  it('counts exactly what each role may page through, through inserts, owner, contributor, programme changes and deletion', async () => {
    const start = await checkAll();
    // The demo: the coordinator and the reader see every action, the committee reporter and the partner fewer.
    expect(start['committeeReporter no filter']).toBeLessThan(start['coordinator no filter']);
    expect(start['reader no filter']).toBe(start['coordinator no filter']);

    // Insert: in the technical committee's programme, one the social committee is responsible for, one not.
    const a1 = await insertAction('Åtgärd för SON', ownGoal, org.son);
    const a2 = await insertAction('Åtgärd för TN', ownGoal, org.tn, 'not_started');
    const a3 = await insertAction('Åtgärd i demoprogrammet', demoGoal, org.tn);
    let now = await checkAll();
    expect(now['committeeReporter no filter']).toBe(start['committeeReporter no filter'] + 1);
    expect(now['coordinator no filter']).toBe(start['coordinator no filter'] + 3);

    // Responsible organisation changed: the social committee's reporter loses a1.
    await exec(sql`update plan_actions set responsible_organisation_id = ${org.tn} where id = ${a1}`);
    now = await checkAll();
    expect(now['committeeReporter no filter']).toBe(start['committeeReporter no filter']);

    // Contributors: the social committee and the police contribute to a2, the reporter and the partner see it.
    await exec(sql`insert into plan_action_contributors (action_id, organisation_id) values (${a2}, ${org.son}), (${a2}, ${org.polisen})`);
    now = await checkAll();
    expect(now['committeeReporter no filter']).toBe(start['committeeReporter no filter'] + 1);
    expect(now['partner no filter']).toBe(start['partner no filter'] + 1);
    await exec(sql`delete from plan_action_contributors where action_id = ${a2} and organisation_id = ${org.polisen}`);
    now = await checkAll();
    expect(now['partner no filter']).toBe(start['partner no filter']);

    // Programme owner: the social committee takes over the technical programme and sees all of its actions.
    await exec(sql`update programs set owner_organisation_id = ${org.son} where id = ${programId}`);
    now = await checkAll();
    expect(now['committeeReporter no filter']).toBe(start['committeeReporter no filter'] + 2);
    expect(now['committeeReporter programme']).toBe(2);

    // Programme: a3 moves into the technical programme (now the social committee's), a1 out of it.
    await exec(sql`update plan_actions set goal_id = ${ownGoal} where id = ${a3}`);
    await exec(sql`update plan_actions set goal_id = ${demoGoal} where id = ${a1}`);
    now = await checkAll();
    expect(now['committeeReporter programme']).toBe(2);
    expect(now['committeeReporter no filter']).toBe(start['committeeReporter no filter'] + 2);
    expect((await list('committeeReporter', { programId: demoProgramId })).some((r) => r.id === a1)).toBe(false);

    // Deletion.
    await exec(sql`delete from plan_action_contributors where action_id = any(${uuids([a1, a2, a3])})`);
    await exec(sql`delete from plan_actions where id = any(${uuids([a1, a2, a3])})`);
    now = await checkAll();
    expect(now['committeeReporter no filter']).toBe(start['committeeReporter no filter']);
    expect(now['coordinator no filter']).toBe(start['coordinator no filter']);
  }, 300_000);

  it('the clause is `true` for a reader of every organisation and a set test for a narrower one', async () => {
    const tree = await loadOrgTree(db(), { fresh: true });
    const text = (who: Who) => new PgDialect().sqlToQuery(actionVisibleSql(accessOf(actors[who], tree), 'a')).sql;
    expect(text('coordinator')).toBe('true');
    expect(text('reader')).toBe('true');
    expect(text('committeeReporter')).toContain('a.id in (select pc.action_id');
    expect(text('committeeReporter')).not.toContain('exists');
  });
});
