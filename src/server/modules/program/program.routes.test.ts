import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestContext } from '../../../../test/helpers/app.ts';
import { orgId, signIn } from '../../../../test/helpers/factories.ts';
import { verifyAuditChain } from '../../lib/audit.ts';
import { createJobRunner } from '../../lib/job-runner.ts';
import { silentLog } from '../../../../test/helpers/jobs.ts';
import { createProgramService } from './program.service.ts';
import type { Actor } from '../../lib/policies.ts';
import type { Role } from '../../../shared/roles.ts';
import { api, expectError } from '../../../../test/helpers/http.ts';

async function actorOf(email: string): Promise<Actor> {
  const u = (await ctx.database.db.execute<{ id: string; name: string }>(sql`select id, name from users where email = ${email}`)).rows[0];
  const grants = await ctx.database.db.execute<{ organisation_id: string; role: Role; include_subtree: boolean }>(sql`select organisation_id, role, include_subtree from role_grants where user_id = ${u.id}`);
  return { id: u.id, name: u.name, email, sessionId: 'test', grants: grants.rows.map((g) => ({ organisationId: g.organisation_id, role: g.role, includeSubtree: g.include_subtree })) };
}

let ctx: TestContext;
let coordinator: string;
let reporterSon: string;
let reporterTn: string;
let reader: string;
let ids: Record<string, string>;

const { call, ok } = api(() => ctx.app, { created: (method, url) => method === 'POST' && !url.match(/close|submit|return/) });

beforeAll(async () => {
  ctx = await createTestApp();
  coordinator = await signIn(ctx.app, 'samordnare@lund.example');
  reporterSon = await signIn(ctx.app, 'rapportor.son@lund.example');
  reporterTn = await signIn(ctx.app, 'rapportor.tn@lund.example');
  reader = await signIn(ctx.app, 'lasare@lund.example');
  ids = {};
  for (const k of ['ks', 'kf', 'son', 'tn', 'polisen', 'lund']) ids[k] = await orgId(ctx.database, k);
});
afterAll(() => ctx?.close());

/** A program with one focus area, one goal and two actions: one for Socialnämnden, one for Tekniska nämnden. */
async function buildProgram(title = 'Program för trygghet och säkerhet') {
  const program = await ok<{ id: string; version: number }>(coordinator, 'POST', '/api/programs', {
    kind: 'safety_program',
    title,
    ownerOrganisationId: ids.ks,
    adoptedByOrganisationId: ids.kf,
    validFrom: '2020-01-01',
    validTo: '2027-12-31',
  });
  const area = await ok<{ id: string }>(coordinator, 'POST', `/api/programs/${program.id}/focus-areas`, { number: 2, title: 'Förebyggande arbete' });
  const goal = await ok<{ id: string }>(coordinator, 'POST', `/api/focus-areas/${area.id}/goals`, { number: 1, text: 'Minskat våld i nära relationer', indicator: 'Antal anmälningar', unit: 'st', baseline: 120, targetValue: 90, targetYear: 2027 });
  const son = await ok<{ id: string; version: number }>(coordinator, 'POST', '/api/actions', {
    goalId: goal.id,
    title: 'Utbilda personal i att upptäcka våld',
    responsibleOrganisationId: ids.son,
    contributorIds: [ids.polisen],
    startDate: '2026-01-01',
    endDate: '2026-12-31',
    status: 'in_progress',
    progress: 40,
    weight: 3,
    subAreas: ['crime_accident_coordination', 'sense_of_safety'],
  });
  const tn = await ok<{ id: string; version: number }>(coordinator, 'POST', '/api/actions', {
    goalId: goal.id,
    title: 'Belysning i otrygga stråk',
    responsibleOrganisationId: ids.tn,
    status: 'not_started',
    progress: 0,
    weight: 1,
    subAreas: ['sense_of_safety'],
  });
  return { program, area, goal, son, tn };
}

describe('demo data', () => {
  it('holds the Lund program with focus areas 2 and 3, example actions, a closed and an open round', async () => {
    const programs = await ok<{ items: { id: string; title: string; isExample: boolean }[] }>(reader, 'GET', '/api/programs');
    const lund = programs.items.find((p) => p.title === 'Program för trygghet och säkerhet i Lunds kommun')!;
    expect(programs.items.every((p) => p.isExample)).toBe(true);
    const detail = await ok<{ focusAreas: { number: number; title: string }[] }>(reader, 'GET', `/api/programs/${lund.id}`);
    expect(detail.focusAreas.map((f) => [f.number, f.title])).toEqual([[2, 'Förebyggande arbete'], [3, 'Informationssäkerhet']]);
    const actions = await ok<{ items: { isExample: boolean }[] }>(reader, 'GET', `/api/actions?programId=${lund.id}`);
    expect(actions.items.length).toBeGreaterThan(5);
    expect(actions.items.every((a) => a.isExample)).toBe(true);
    const rounds = await ok<{ items: { status: string; counts: Record<string, number> }[] }>(coordinator, 'GET', `/api/follow-up-rounds?programId=${lund.id}`);
    expect(rounds.items.map((r) => r.status).sort()).toEqual(['closed', 'open']);
    expect(rounds.items.find((r) => r.status === 'closed')!.counts.submitted).toBe(actions.items.length);
    const tasks = await ok<{ items: { state: string; roundStatus: string }[] }>(reporterSon, 'GET', '/api/follow-up-reports?mine=true');
    expect(tasks.items.length).toBeGreaterThan(0);
    expect(tasks.items.every((t) => t.roundStatus === 'open' && t.state === 'not_started')).toBe(true);
  });
});

describe('program structure and actions', () => {
  it('builds a program, keeps each action change in a visible history, and refuses bad input with Swedish messages', async () => {
    const { program, goal, son } = await buildProgram();
    const detail = await ok<{ focusAreas: { number: number; goals: { text: string; baseline: number }[] }[] }>(reader, 'GET', `/api/programs/${program.id}`);
    expect(detail.focusAreas[0].number).toBe(2);
    expect(detail.focusAreas[0].goals[0]).toMatchObject({ text: 'Minskat våld i nära relationer', baseline: 120 });

    const changed = await ok<{ progress: number; version: number }>(coordinator, 'PATCH', `/api/actions/${son.id}`, { version: son.version, progress: 55, contactPerson: 'Anna Andersson' });
    expect(changed.progress).toBe(55);
    const hist = await ok<{ items: { action: string; actorName: string; changes: { field: string; before: unknown; after: unknown }[] }[] }>(reader, 'GET', `/api/actions/${son.id}/history`);
    expect(hist.items.map((h) => h.action)).toEqual(['create', 'update']);
    expect(hist.items[1].actorName).toBe('Sam Samordnare');
    expect(hist.items[1].changes).toEqual(
      expect.arrayContaining([
        { field: 'progress', before: 40, after: 55 },
        { field: 'contactPerson', before: null, after: 'Anna Andersson' },
      ]),
    );

    const sv = { 'accept-language': 'sv' };
    const bad = [
      { payload: { version: changed.version, progress: 101 }, field: 'body.progress', message: 'Värdet får vara högst 100.' },
      { payload: { version: changed.version, progress: -1 }, field: 'body.progress', message: 'Värdet måste vara minst 0.' },
      { payload: { version: changed.version, startDate: '2026-06-01', endDate: '2026-05-01' }, field: 'body.endDate', message: 'Slutdatum kan inte vara före startdatum.' },
    ];
    for (const b of bad) {
      const res = await ctx.app.inject({ method: 'PATCH', url: `/api/actions/${son.id}`, payload: b.payload, headers: { cookie: coordinator, ...sv } });
      expect(res.statusCode, JSON.stringify(b.payload)).toBe(400);
      expect(res.json().error.fields).toContainEqual({ path: b.field, message: b.message });
    }
    // End before the stored start: caught by the service, not the schema.
    const late = await call(coordinator, 'PATCH', `/api/actions/${son.id}`, { version: changed.version, endDate: '2025-01-01' });
    expect(late.statusCode).toBe(400);
    expect(late.json().error.fields).toContainEqual({ path: 'endDate', message: 'Slutdatum kan inte vara före startdatum.' });
    // Moving the action to an organisation that does not exist.
    const missing = await call(coordinator, 'PATCH', `/api/actions/${son.id}`, { version: changed.version, responsibleOrganisationId: '00000000-0000-4000-8000-000000000000' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.fields).toContainEqual({ path: 'responsibleOrganisationId', message: 'Organisationen finns inte.' });
    // Nothing was lost by the refused changes.
    const after = await ok<{ progress: number; version: number; contactPerson: string }>(coordinator, 'GET', `/api/actions/${son.id}`);
    expect(after).toMatchObject({ progress: 55, version: changed.version, contactPerson: 'Anna Andersson' });

    const dup = await call(coordinator, 'POST', `/api/focus-areas/${detail.focusAreas[0] && (await ok<{ focusAreas: { id: string }[] }>(coordinator, 'GET', `/api/programs/${program.id}`)).focusAreas[0].id}/goals`, { number: 1, text: 'Dubblett' });
    expectError(dup, 409, 'NUMBER_TAKEN');
    expect(goal.id).toBeTruthy();
  });

  it('lets a reporter see only the actions their organisation owns or contributes to, and not manage them', async () => {
    const { program, son, tn } = await buildProgram('Synlighetsprogram');
    const mine = await ok<{ items: { id: string }[] }>(reporterSon, 'GET', `/api/actions?programId=${program.id}`);
    expect(mine.items.map((a) => a.id)).toEqual([son.id]);
    expect((await call(reporterSon, 'GET', `/api/actions/${tn.id}`)).statusCode).toBe(404);
    expect((await call(reporterSon, 'GET', `/api/actions/${tn.id}/history`)).statusCode).toBe(404);
    expect((await call(reporterSon, 'PATCH', `/api/actions/${son.id}`, { version: son.version, progress: 99 })).statusCode).toBe(403);
    // The police contribute to the Socialnämnden action, so their partner sees it.
    const police = await signIn(ctx.app, 'polisen@lund.example');
    expect((await ok<{ items: { id: string }[] }>(police, 'GET', `/api/actions?programId=${program.id}`)).items.map((a) => a.id)).toEqual([son.id]);
    // The reader (whole municipality) sees both.
    expect((await ok<{ items: unknown[] }>(reader, 'GET', `/api/actions?programId=${program.id}`)).items).toHaveLength(2);
  });

  it('rolls progress up by weight from sub-actions to the program, with health and filters', async () => {
    const { program, son, tn, goal } = await buildProgram('Rollup-program');
    await ok(coordinator, 'POST', '/api/actions', { goalId: goal.id, parentActionId: son.id, title: 'Delåtgärd A', responsibleOrganisationId: ids.son, progress: 100, status: 'done' });
    await ok(coordinator, 'POST', '/api/actions', { goalId: goal.id, parentActionId: son.id, title: 'Delåtgärd B', responsibleOrganisationId: ids.son, progress: 0, status: 'in_progress' });
    const r = await ok<{ progress: number; health: string; focusAreas: { progress: number; goals: { progress: number; actions: { id: string; progress: number }[] }[] }[] }>(coordinator, 'GET', `/api/programs/${program.id}/rollup?goalId=${goal.id}`);
    const g = r.focusAreas[0].goals[0];
    expect(g.actions.find((a) => a.id === son.id)?.progress).toBe(50); // sub-actions 100 and 0, equal weight
    expect(g.progress).toBe((50 * 3 + 0 * 1) / 4); // weights 3 and 1
    expect(r.focusAreas[0].progress).toBe(g.progress);
    expect(r.progress).toBe(g.progress);
    expect(['green', 'amber', 'red']).toContain(r.health);

    const filtered = await ok<{ focusAreas: { goals: { actions: { id: string }[] }[] }[] }>(coordinator, 'GET', `/api/programs/${program.id}/rollup?organisationId=${ids.tn}&goalId=${goal.id}`);
    expect(filtered.focusAreas[0].goals[0].actions.map((a) => a.id)).toEqual([tn.id]);
    const bySubArea = await ok<{ actionCount: number }>(coordinator, 'GET', `/api/programs/${program.id}/rollup?subArea=crime_accident_coordination`);
    expect(bySubArea.actionCount).toBe(1);
    // A reporter's roll-up is the program's: it counts the actions they may not see too.
    const asReporter = await ok<{ actionCount: number; progress: number }>(reporterTn, 'GET', `/api/programs/${program.id}/rollup`);
    expect(asReporter).toMatchObject({ actionCount: 2, progress: r.progress });
    // Without a goal to drill into, the roll-up stays at goal level.
    expect(r.focusAreas[0].goals[0].actions).toHaveLength(2);
    const overview = await ok<{ focusAreas: { goals: { actions?: unknown[] }[] }[] }>(coordinator, 'GET', `/api/programs/${program.id}/rollup`);
    expect(overview.focusAreas[0].goals[0].actions).toBeUndefined();
  });

  it("gives the program's figures the same for everyone who may see the program, and hides only the detail of actions one may not see", async () => {
    const { program, area, goal, son, tn } = await buildProgram('Samma siffror för alla');
    const empty = await ok<{ id: string }>(coordinator, 'POST', `/api/focus-areas/${area.id}/goals`, { number: 2, text: 'Mål utan åtgärder' });
    const police = await signIn(ctx.app, 'polisen@lund.example');
    type Node = { progress: number | null; health: string; actionCount: number; statusCounts: Record<string, number> };
    type Rollup = Node & { focusAreas: (Node & { goals: (Node & { id: string; hiddenActionCount?: number; actions?: { id: string; title: string }[] })[] })[] };
    const figures = (r: Rollup) =>
      JSON.stringify({
        ...r,
        focusAreas: r.focusAreas.map((f) => ({ ...f, goals: f.goals.map(({ actions: _a, hiddenActionCount: _h, ...g }) => g) })),
      });
    const views = [coordinator, reporterSon, reporterTn, police];
    for (const q of ['', '?subArea=sense_of_safety', `?organisationId=${ids.tn}`, `?goalId=${goal.id}`]) {
      const seen = await Promise.all(views.map((cookie) => ok<Rollup>(cookie, 'GET', `/api/programs/${program.id}/rollup${q}`)));
      for (const other of seen.slice(1)) expect(figures(other), q).toBe(figures(seen[0]));
    }
    // Weights 3 (40 %) and 1 (0 %): 30 % for everyone, the coordinator, Socialnämnden, Tekniska nämnden and the police.
    const whole = await ok<Rollup>(police, 'GET', `/api/programs/${program.id}/rollup`);
    expect(whole.progress).toBe(30);
    expect(whole.actionCount).toBe(2);
    const emptyGoal = whole.focusAreas[0].goals.find((g) => g.id === empty.id)!;
    expect(emptyGoal).toMatchObject({ actionCount: 0, progress: null, health: 'none' });

    // The drill-down lists what each may see; the rest is a count, without titles.
    const drill = async (cookie: string) => (await ok<Rollup>(cookie, 'GET', `/api/programs/${program.id}/rollup?goalId=${goal.id}`)).focusAreas[0].goals.find((g) => g.id === goal.id)!;
    const asTn = await drill(reporterTn);
    expect(asTn.actions!.map((a) => a.id)).toEqual([tn.id]);
    expect(asTn.hiddenActionCount).toBe(1);
    expect(JSON.stringify(asTn)).not.toContain('Utbilda personal i att upptäcka våld');
    const asPolice = await drill(police);
    expect(asPolice.actions!.map((a) => a.id)).toEqual([son.id]);
    expect(asPolice.hiddenActionCount).toBe(1);
    expect(JSON.stringify(asPolice)).not.toContain('Belysning i otrygga stråk');
    const asCoordinator = await drill(coordinator);
    expect(asCoordinator.actions!.map((a) => a.id).sort()).toEqual([son.id, tn.id].sort());
    expect(asCoordinator.hiddenActionCount).toBe(0);
  });

  it('lets exactly one of several simultaneous creations of the same number through, the rest get a 409', async () => {
    const { program } = await buildProgram('Kapplöpningsprogram');
    const results = await Promise.all(Array.from({ length: 5 }, () => call(coordinator, 'POST', `/api/programs/${program.id}/focus-areas`, { number: 7, title: 'Samtidigt' })));
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409, 409]);
    for (const r of results.filter((x) => x.statusCode === 409)) expect(['NUMBER_TAKEN', 'ALREADY_EXISTS']).toContain(r.json().error.code);
  });

  it('keeps sub-actions one level deep', async () => {
    const { son, goal } = await buildProgram('Nivåprogram');
    const child = await ok<{ id: string }>(coordinator, 'POST', '/api/actions', { goalId: goal.id, parentActionId: son.id, title: 'Barn', responsibleOrganisationId: ids.son });
    const grandchild = await call(coordinator, 'POST', '/api/actions', { goalId: goal.id, parentActionId: child.id, title: 'Barnbarn', responsibleOrganisationId: ids.son });
    expectError(grandchild, 409, 'ACTION_DEPTH');
    const current = await ok<{ version: number }>(coordinator, 'GET', `/api/actions/${son.id}`);
    const under = await call(coordinator, 'PATCH', `/api/actions/${son.id}`, { version: current.version, parentActionId: child.id });
    expectError(under, 409, 'ACTION_DEPTH');
    const self = await call(coordinator, 'PATCH', `/api/actions/${son.id}`, { version: current.version, parentActionId: son.id });
    expect(self.json().error.code).toBe('ACTION_CYCLE');
  });

  it('computes the same roll-up in SQL as in memory, for every reader and filter', async () => {
    const { program, goal, son, tn } = await buildProgram('Likhetsprogram');
    const today = new Date();
    const day = (offset: number) => new Date(today.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
    // Sub-actions of every kind under Socialnämnden's action; a cancelled one; one far behind its pace.
    const subs = [
      { status: 'done', progress: 100, weight: 1 },
      { status: 'in_progress', progress: 5, weight: 2, startDate: day(-300), endDate: day(30) },
      { status: 'in_progress', progress: 60, weight: 1, startDate: day(-100), endDate: day(100) },
      { status: 'cancelled', progress: 0, weight: 5 },
    ];
    for (const [i, sub] of subs.entries()) await ok(coordinator, 'POST', '/api/actions', { goalId: goal.id, parentActionId: son.id, title: `Del ${i}`, responsibleOrganisationId: ids.son, ...sub });
    const tnNow = await ok<{ version: number }>(coordinator, 'GET', `/api/actions/${tn.id}`);
    await ok(coordinator, 'PATCH', `/api/actions/${tn.id}`, { version: tnNow.version, status: 'delayed', progress: 30 });
    const area = (await ok<{ focusAreas: { id: string }[] }>(coordinator, 'GET', `/api/programs/${program.id}`)).focusAreas[0];
    const goal2 = await ok<{ id: string }>(coordinator, 'POST', `/api/focus-areas/${area.id}/goals`, { number: 2, text: 'Andra målet' });
    await ok(coordinator, 'POST', '/api/actions', { goalId: goal2.id, title: 'I tid', responsibleOrganisationId: ids.tn, status: 'in_progress', progress: 50, startDate: day(-10), endDate: day(10), subAreas: ['it_security'] });
    await ok(coordinator, 'POST', '/api/actions', { goalId: goal2.id, title: 'Avbruten', responsibleOrganisationId: ids.son, status: 'cancelled' });

    const svc = createProgramService({ db: ctx.database.db });
    for (const email of ['samordnare@lund.example', 'rapportor.son@lund.example', 'rapportor.tn@lund.example', 'polisen@lund.example']) {
      const actor = await actorOf(email);
      for (const q of [{}, { organisationId: ids.son }, { subArea: 'sense_of_safety' as const }, { status: 'delayed' as const }]) {
        const viaSql = await svc.rollup(actor, program.id, q);
        const inMemory = await svc.rollupInMemory(actor, program.id, q);
        expect(viaSql, `${email} ${JSON.stringify(q)}`).toEqual(inMemory);
      }
    }
    const all = await svc.rollup(await actorOf('samordnare@lund.example'), program.id, {});
    expect(all.focusAreas[0].goals.map((g) => g.health)).toEqual(['red', 'green']);
  });
});

describe('follow-up rounds', () => {
  it('runs a round: open, reporters draft and submit, the coordinator returns one, closes, and the next round shows the trend', async () => {
    const { program, son, tn } = await buildProgram('Uppföljningsprogram');
    const round = await ok<{ id: string; version: number; counts: Record<string, number> }>(coordinator, 'POST', '/api/follow-up-rounds', { programId: program.id, name: 'Tertial 2 2026', deadline: '2099-08-31' });
    expect(round.counts.not_started).toBe(2);
    const reminders = await ctx.database.db.execute<{ n: number }>(sql`select count(*)::int as n from jobs where type = 'followup.remind' and payload->>'roundId' = ${round.id}`);
    expect(reminders.rows[0].n).toBe(2);

    // Mina uppgifter: each reporter sees only their own organisation's task.
    const sonTasks = await ok<{ items: { id: string; actionId: string; version: number }[] }>(reporterSon, 'GET', '/api/follow-up-reports?mine=true');
    const sonTask = sonTasks.items.find((t) => t.actionId === son.id)!;
    expect(sonTasks.items.every((t) => t.actionId !== tn.id)).toBe(true);
    const tnTask = (await ok<{ items: { id: string; actionId: string; version: number }[] }>(reporterTn, 'GET', '/api/follow-up-reports?mine=true')).items.find((t) => t.actionId === tn.id)!;

    // A draft is private to its organisation (and the coordinator).
    const draft = await ok<{ state: string; version: number }>(reporterSon, 'PUT', `/api/follow-up-reports/${sonTask.id}`, { version: sonTask.version, actionStatus: 'in_progress', progress: 60, done: 'Två utbildningar hållna' });
    expect(draft.state).toBe('draft');
    expect((await call(reporterTn, 'GET', `/api/follow-up-reports/${sonTask.id}`)).statusCode).toBe(404);
    expect((await call(reporterTn, 'PUT', `/api/follow-up-reports/${sonTask.id}`, { version: draft.version, done: 'x' })).statusCode).toBe(404);
    const tnList = await ok<{ items: { id: string }[] }>(reporterTn, 'GET', `/api/follow-up-reports?roundId=${round.id}`);
    expect(tnList.items.map((i) => i.id)).toEqual([tnTask.id]);

    // Submitting needs status and progress.
    const incomplete = await call(reporterTn, 'POST', `/api/follow-up-reports/${tnTask.id}/submit`, { version: tnTask.version, done: 'Inventering klar' });
    expectError(incomplete, 400, 'REPORT_INCOMPLETE');

    const submitted = await ok<{ state: string; version: number }>(reporterSon, 'POST', `/api/follow-up-reports/${sonTask.id}/submit`, { version: draft.version, nextSteps: 'Fler utbildningar', risks: 'Personalomsättning' });
    expect(submitted.state).toBe('submitted');
    expect((await ok<{ progress: number; status: string }>(coordinator, 'GET', `/api/actions/${son.id}`)).progress).toBe(60);
    const again = await call(reporterSon, 'PUT', `/api/follow-up-reports/${sonTask.id}`, { version: submitted.version, done: 'ändrat' });
    expectError(again, 409, 'REPORT_SUBMITTED');

    // The coordinator returns it; the reporter fixes and resubmits.
    expect((await call(reporterSon, 'POST', `/api/follow-up-reports/${sonTask.id}/return`, { version: submitted.version, comment: 'x' })).statusCode).toBe(403);
    const returned = await ok<{ state: string; returnComment: string; version: number }>(coordinator, 'POST', `/api/follow-up-reports/${sonTask.id}/return`, { version: submitted.version, comment: 'Ange antal deltagare.' });
    expect(returned).toMatchObject({ state: 'returned', returnComment: 'Ange antal deltagare.' });
    const fixed = await ok<{ state: string }>(reporterSon, 'POST', `/api/follow-up-reports/${sonTask.id}/submit`, { version: returned.version, done: 'Två utbildningar, 48 deltagare' });
    expect(fixed.state).toBe('submitted');
    await ok(reporterTn, 'POST', `/api/follow-up-reports/${tnTask.id}/submit`, { version: tnTask.version, actionStatus: 'in_progress', progress: 20 });

    const overview = await ok<{ items: { organisationId: string; submitted: number; total: number }[] }>(coordinator, 'GET', `/api/follow-up-rounds/${round.id}/overview`);
    expect(overview.items.map((i) => [i.organisationId, i.submitted, i.total]).sort()).toEqual([[ids.son, 1, 1], [ids.tn, 1, 1]].sort());
    expect((await ok<{ items: unknown[] }>(reporterSon, 'GET', `/api/follow-up-rounds/${round.id}/overview`)).items).toHaveLength(1);

    // Closing freezes the round.
    expect((await call(reporterSon, 'POST', `/api/follow-up-rounds/${round.id}/close`, { version: round.version })).statusCode).toBe(403);
    const closed = await ok<{ status: string; counts: Record<string, number> }>(coordinator, 'POST', `/api/follow-up-rounds/${round.id}/close`, { version: round.version });
    expect(closed.status).toBe('closed');
    expect(closed.counts.submitted).toBe(2);
    const frozen = await call(reporterSon, 'PUT', `/api/follow-up-reports/${sonTask.id}`, { version: 99, done: 'sent' });
    expectError(frozen, 409, 'ROUND_CLOSED');
    const snap = await ctx.database.db.execute<{ snapshot: { rollup: { progress: number }; reports: unknown[] } }>(sql`select snapshot from follow_up_rounds where id = ${round.id}`);
    expect(snap.rows[0].snapshot.reports).toHaveLength(2);
    expect(snap.rows[0].snapshot.rollup.progress).toBeCloseTo((60 * 3 + 20) / 4, 5);

    // The next round shows the trend against the last.
    const next = await ok<{ id: string }>(coordinator, 'POST', '/api/follow-up-rounds', { programId: program.id, name: 'Årsuppföljning 2026', deadline: '2099-12-31' });
    const nextTask = (await ok<{ items: { actionId: string; previous: { roundName: string; progress: number } | null }[] }>(reporterSon, 'GET', `/api/follow-up-reports?roundId=${next.id}`)).items[0];
    // One action's reports across rounds, for the drill-down; not for another organisation.
    const acrossRounds = await ok<{ items: { roundName: string }[] }>(coordinator, 'GET', `/api/follow-up-reports?actionId=${son.id}`);
    expect(acrossRounds.items.map((r) => r.roundName).sort()).toEqual(['Tertial 2 2026', 'Årsuppföljning 2026'].sort());
    expect((await ok<{ items: unknown[] }>(reporterTn, 'GET', `/api/follow-up-reports?actionId=${son.id}`)).items).toEqual([]);
    expect(nextTask.previous).toMatchObject({ roundName: 'Tertial 2 2026', progress: 60 });

    expect((await verifyAuditChain(ctx.database.db)).ok).toBe(true);
  });

  it('refuses an empty round, a stale close and rounds for strangers', async () => {
    const { program } = await buildProgram('Tomt urval');
    const police = await orgId(ctx.database, 'polisen');
    const empty = await call(coordinator, 'POST', '/api/follow-up-rounds', { programId: program.id, name: 'Tom', deadline: '2099-01-01', scopeOrganisationIds: [police] });
    expectError(empty, 409, 'ROUND_EMPTY');
    expect((await call(reporterSon, 'POST', '/api/follow-up-rounds', { programId: program.id, name: 'X', deadline: '2099-01-01' })).statusCode).toBe(403);
    const bad = await call(coordinator, 'POST', '/api/follow-up-rounds', { programId: program.id, name: 'X', deadline: '31/12/2099' });
    expect(bad.statusCode).toBe(400);
  });

  it('reminds the reporters of organisations that have not submitted, and forgets the reminders when the round closes', async () => {
    const { program, son } = await buildProgram('Påminnelseprogram');
    const soon = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const round = await ok<{ id: string; version: number }>(coordinator, 'POST', '/api/follow-up-rounds', { programId: program.id, name: 'Snart slut', deadline: soon });
    // Socialnämnden submits before the reminder runs; Tekniska nämnden does not.
    const task = (await ok<{ items: { id: string; actionId: string; version: number }[] }>(reporterSon, 'GET', `/api/follow-up-reports?roundId=${round.id}`)).items.find((t) => t.actionId === son.id)!;
    await ok(reporterSon, 'POST', `/api/follow-up-reports/${task.id}/submit`, { version: task.version, actionStatus: 'in_progress', progress: 50 });

    const runner = createJobRunner({ db: ctx.database.db, config: ctx.config, log: silentLog, handlers: ctx.app.contributions.jobHandlers, recurring: [] });
    expect(await runner.runDue()).toBeGreaterThanOrEqual(1);
    const mails = await ctx.database.db.execute<{ to_address: string; subject: string; text: string }>(sql`select "to" as to_address, subject, text from mail_outbox where subject like ${'%Snart slut%'}`);
    const to = mails.rows.map((m) => m.to_address);
    expect(to).toContain('rapportor.tn@lund.example');
    expect(to).not.toContain('rapportor.son@lund.example');
    expect(mails.rows[0].subject).toContain('Påminnelse');
    expect(mails.rows.find((m) => m.to_address === 'rapportor.tn@lund.example')?.text).toContain('/mina-uppgifter');

    const pending = () => ctx.database.db.execute<{ n: number }>(sql`select count(*)::int as n from jobs where type = 'followup.remind' and status = 'pending' and payload->>'roundId' = ${round.id}`);
    expect((await pending()).rows[0].n).toBe(1); // the overdue reminder
    await ok(coordinator, 'POST', `/api/follow-up-rounds/${round.id}/close`, { version: round.version });
    expect((await pending()).rows[0].n).toBe(0);
  });

  it('lets the reporting organisation attach files while the report is open, checks what they are, and shows them only to those who see the report', async () => {
    const { program, son } = await buildProgram('Bilageprogram');
    const round = await ok<{ id: string }>(coordinator, 'POST', '/api/follow-up-rounds', { programId: program.id, name: 'Med bilagor', deadline: '2099-06-30' });
    const task = (await ok<{ items: { id: string; actionId: string; version: number }[] }>(reporterSon, 'GET', `/api/follow-up-reports?roundId=${round.id}`)).items.find((t) => t.actionId === son.id)!;
    const attach = (cookie: string, filename: string, data: Buffer) => {
      const boundary = 'bilaga' + Math.random().toString(16).slice(2);
      const payload = Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/pdf\r\n\r\n`), data, Buffer.from(`\r\n--${boundary}--\r\n`)]);
      return ctx.app.inject({ method: 'POST', url: `/api/follow-up-reports/${task.id}/attachments`, headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
    };
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
    const added = await attach(reporterSon, 'Protokoll utbildning.pdf', pdf);
    expect(added.statusCode, added.body).toBe(201);
    const [file] = added.json().attachments;
    expect(file).toMatchObject({ filename: 'Protokoll utbildning.pdf', contentType: 'application/pdf', size: pdf.length });
    // A text file calling itself a PDF is refused; so is another organisation.
    expect((await attach(reporterSon, 'falsk.pdf', Buffer.from('inte en pdf'))).statusCode).toBe(415);
    expect((await attach(reporterTn, 'x.pdf', pdf)).statusCode).toBe(404);

    const url = `/api/follow-up-reports/${task.id}/attachments/${file.id}`;
    const download = await ctx.app.inject({ method: 'GET', url, headers: { cookie: coordinator } });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.rawPayload.equals(pdf)).toBe(true);
    expect((await ctx.app.inject({ method: 'GET', url, headers: { cookie: reporterTn } })).statusCode).toBe(404);

    // Removing works while the report is open; once submitted the files are part of it.
    const second = (await attach(reporterSon, 'andra.pdf', pdf)).json().attachments.find((a: { filename: string }) => a.filename === 'andra.pdf');
    const removed = await ctx.app.inject({ method: 'DELETE', url: `/api/follow-up-reports/${task.id}/attachments/${second.id}`, headers: { cookie: reporterSon } });
    expect(removed.statusCode).toBe(200);
    expect(removed.json().attachments.map((a: { id: string }) => a.id)).toEqual([file.id]);
    const current = await ok<{ version: number }>(reporterSon, 'GET', `/api/follow-up-reports/${task.id}`);
    await ok(reporterSon, 'POST', `/api/follow-up-reports/${task.id}/submit`, { version: current.version, actionStatus: 'in_progress', progress: 40 });
    const late = await attach(reporterSon, 'sen.pdf', pdf);
    expectError(late, 409, 'REPORT_SUBMITTED');
    const audit = await ctx.database.db.execute<{ action: string }>(sql`select action from audit_log where entity_type = 'follow_up_report' and entity_id = ${task.id} order by id`);
    expect(audit.rows.map((r) => r.action)).toEqual(expect.arrayContaining(['attach', 'detach', 'submit']));
  });
});
