import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestContext } from '../../../../test/helpers/app.ts';
import { orgId, signIn } from '../../../../test/helpers/factories.ts';
import { api } from '../../../../test/helpers/http.ts';

/** Indicator values entered in a follow-up round (issue #11 item 4): who enters, validation, the trend and the council report. */
let ctx: TestContext;
let coordinator: string;
let reporterSon: string;
let partner: string;
let reader: string;
let reporterTn: string;
const ids: Record<string, string> = {};
const { ok, fails } = api(() => ctx.app, { created: (method) => method === 'POST' });

beforeAll(async () => {
  ctx = await createTestApp();
  coordinator = await signIn(ctx.app, 'samordnare@lund.example');
  reporterSon = await signIn(ctx.app, 'rapportor.son@lund.example');
  partner = await signIn(ctx.app, 'polisen@lund.example');
  reader = await signIn(ctx.app, 'lasare@lund.example');
  reporterTn = await signIn(ctx.app, 'rapportor.tn@lund.example');
  for (const k of ['ks', 'son']) ids[k] = await orgId(ctx.database, k);
});
afterAll(() => ctx?.close());

type Item = { goalId: string; number: string; indicator: string; organisationName: string; mayEnter: boolean; value: { id: string; value: number; version: number; source: string; roundId: string; period: string } | null; previous: { value: number } | null };
type List = { roundName: string; roundStatus: string; items: Item[] };

async function setUp() {
  const program = await ok<{ id: string }>(coordinator, 'POST', '/api/programs', { kind: 'safety_program', title: `Omgångsindikatorer ${Math.random()}`, ownerOrganisationId: ids.ks });
  const area = await ok<{ id: string }>(coordinator, 'POST', `/api/programs/${program.id}/focus-areas`, { number: 1, title: 'Trygghet' });
  // Socialnämnden measures the first indicator; the second has no organisation of its own (the owner, KS, reports it).
  const safe = await ok<{ id: string; indicatorOrganisationId: string }>(coordinator, 'POST', `/api/focus-areas/${area.id}/goals`, {
    number: 1, text: 'Fler unga känner sig trygga', indicator: 'Andel elever som känner sig trygga i skolan', unit: '%', baseline: 70, targetValue: 90, indicatorOrganisationId: ids.son,
  });
  const violence = await ok<{ id: string }>(coordinator, 'POST', `/api/focus-areas/${area.id}/goals`, { number: 2, text: 'Minskat våld', indicator: 'Anmälda våldsbrott per 1 000 invånare', unit: 'per 1 000', baseline: 10, targetValue: 8, scaleMin: 0, scaleMax: 100 });
  const plain = await ok<{ id: string }>(coordinator, 'POST', `/api/focus-areas/${area.id}/goals`, { number: 3, text: 'Mål utan indikator' });
  await ok(coordinator, 'POST', `/api/goals/${safe.id}/indicator-values`, { measuredOn: '2024-12-31', period: '2024', value: 74 });
  // A round follows up actions: one of Socialnämnden's.
  await ok(coordinator, 'POST', '/api/actions', { goalId: safe.id, title: 'Trygghetsvandringar', responsibleOrganisationId: ids.son, status: 'in_progress', progress: 30 });
  const round = await ok<{ id: string; name: string; version: number }>(coordinator, 'POST', '/api/follow-up-rounds', { programId: program.id, name: `Tertial 3 ${Math.random().toString(36).slice(2, 6)}`, deadline: '2099-01-31' });
  return { program, safe, violence, plain, round };
}

const roundValues = async (goalId: string) =>
  (await ctx.database.db.execute<{ value: string; source: string; round_id: string | null }>(sql`select value, source, round_id from indicator_values where goal_id = ${goalId} and source = 'round'`)).rows;

describe('indicator values in a follow-up round', () => {
  it('lets the measuring organisation enter its value in the round; it joins the trend and the council report', async () => {
    const { safe, violence, round } = await setUp();
    expect(safe.indicatorOrganisationId).toBe(ids.son);

    // Mina uppgifter: the reporter of Socialnämnden sees only the indicator Socialnämnden measures.
    const mine = await ok<List>(reporterSon, 'GET', `/api/follow-up-rounds/${round.id}/indicators?mine=true`);
    expect(mine.items.map((i) => i.goalId)).toEqual([safe.id]);
    expect(mine.items[0]).toMatchObject({ number: '1.1', organisationName: 'Socialnämnden', mayEnter: true, value: null, previous: { value: 74 } });
    // The coordinator sees them all on the round's page (the second one is the owner's, Kommunstyrelsen's).
    const all = await ok<List>(coordinator, 'GET', `/api/follow-up-rounds/${round.id}/indicators`);
    expect(all.items.map((i) => [i.number, i.organisationName, i.mayEnter])).toEqual([['1.1', 'Socialnämnden', true], ['1.2', 'Kommunstyrelsen', true]]);

    const entered = await ok<Item['value'] & object>(reporterSon, 'PUT', `/api/follow-up-rounds/${round.id}/indicators/${safe.id}`, { measuredOn: '2025-12-31', value: 78, note: 'Elevenkäten' });
    expect(entered).toMatchObject({ value: 78, source: 'round', roundId: round.id, period: round.name, version: 1 });
    // Entered again: only with the version, and it replaces the round's value (one per goal and round).
    await fails(reporterSon, 'PUT', `/api/follow-up-rounds/${round.id}/indicators/${safe.id}`, { measuredOn: '2025-12-31', value: 79 }, 409, 'VERSION_CONFLICT');
    const replaced = await ok<{ value: number; version: number }>(reporterSon, 'PUT', `/api/follow-up-rounds/${round.id}/indicators/${safe.id}`, { measuredOn: '2025-12-31', value: 80, version: 1 });
    expect(replaced).toMatchObject({ value: 80, version: 2 });
    expect(await roundValues(safe.id)).toEqual([{ value: '80', source: 'round', round_id: round.id }]);
    // The coordinator enters the owner's indicator.
    await ok(coordinator, 'PUT', `/api/follow-up-rounds/${round.id}/indicators/${violence.id}`, { measuredOn: '2025-12-31', value: 9 });

    // One of the indicator's values: in the trend (source: the round) and its fulfilment, the same for a reader.
    const trend = await ok<{ values: { value: number; source: string; roundId: string | null }[]; latest: { value: number }; fulfilment: number }>(reader, 'GET', `/api/goals/${safe.id}/indicator`);
    expect(trend.values.map((v) => [v.value, v.source])).toEqual([[74, 'manual'], [80, 'round']]);
    expect(trend).toMatchObject({ latest: { value: 80 }, fulfilment: 50 });
    // …and in the council report's table and trend chart, under the round's name.
    const model = await ok<{ blocks: { type: string; title?: string; categories?: string[]; alt?: string; rows?: string[][] }[] }>(coordinator, 'GET', `/api/follow-up-rounds/${round.id}/document`);
    const chart = model.blocks.find((b) => b.type === 'chart' && b.title === 'Mål 1.1: Andel elever som känner sig trygga i skolan')!;
    expect(chart.categories).toEqual(['2024', round.name]);
    expect(chart.alt).toContain(`${round.name} 80 %`);
    const table = model.blocks.find((b) => b.type === 'table' && b.rows?.some((r) => r[1] === 'Andel elever som känner sig trygga i skolan'))!;
    expect(table.rows![0]).toEqual(['1.1', 'Andel elever som känner sig trygga i skolan', '70 %', `80 % (${round.name})`, '90 %', '50 %']);
  });

  it('refuses a value outside the scale, another organisation’s indicator, a goal without one, a closed round and those without the right; nothing changes', async () => {
    const { safe, violence, plain, round } = await setUp();
    const other = await setUp();
    const out = await fails(reporterSon, 'PUT', `/api/follow-up-rounds/${round.id}/indicators/${safe.id}`, { measuredOn: '2025-12-31', value: 120 }, 400, 'INDICATOR_VALUE_OUT_OF_SCALE');
    expect(out.message).toBe('Värdet ligger utanför indikatorns skala.');
    expect(out.fields?.[0]).toEqual({ path: 'value', message: 'Ange ett värde mellan 0 och 100 (%).' });
    await fails(reporterSon, 'PUT', `/api/follow-up-rounds/${round.id}/indicators/${safe.id}`, { measuredOn: '2025-13-45', value: 70 }, 400, 'VALIDATION_FAILED');
    await fails(reporterSon, 'PUT', `/api/follow-up-rounds/${round.id}/indicators/${violence.id}`, { measuredOn: '2025-12-31', value: 9 }, 403, 'FORBIDDEN');
    await fails(coordinator, 'PUT', `/api/follow-up-rounds/${round.id}/indicators/${plain.id}`, { measuredOn: '2025-12-31', value: 1 }, 404, 'INDICATOR_NOT_FOUND');
    await fails(coordinator, 'PUT', `/api/follow-up-rounds/${round.id}/indicators/${other.safe.id}`, { measuredOn: '2025-12-31', value: 70 }, 404, 'GOAL_NOT_FOUND');
    await fails(coordinator, 'PUT', `/api/follow-up-rounds/00000000-0000-4000-8000-000000000000/indicators/${safe.id}`, { measuredOn: '2025-12-31', value: 70 }, 404, 'ROUND_NOT_FOUND');
    await fails(partner, 'PUT', `/api/follow-up-rounds/${round.id}/indicators/${safe.id}`, { measuredOn: '2025-12-31', value: 70 }, 403, 'FORBIDDEN');
    await fails(reader, 'GET', `/api/follow-up-rounds/${round.id}/indicators`, undefined, 403, 'FORBIDDEN');
    // A reporter with nothing to do in the round: "mine" is none (Mina uppgifter asks for every open round it lists),
    // while the round's indicators as such stay hidden.
    const none = await ok<List>(reporterTn, 'GET', `/api/follow-up-rounds/${round.id}/indicators?mine=true`);
    expect(none.items).toEqual([]);
    await fails(reporterTn, 'GET', `/api/follow-up-rounds/${round.id}/indicators`, undefined, 404, 'ROUND_NOT_FOUND');
    // An unknown organisation as the indicator's reporter is bad input, not a server error.
    await fails(coordinator, 'PATCH', `/api/goals/${safe.id}`, { version: 1, indicatorOrganisationId: '00000000-0000-4000-8000-000000000000' }, 400, 'VALIDATION_FAILED');
    expect(await roundValues(safe.id)).toEqual([]);

    // After the round closes, nothing more is entered in it.
    await ok(coordinator, 'POST', `/api/follow-up-rounds/${round.id}/close`, { version: round.version }, 200);
    const closed = await ok<List>(reporterSon, 'GET', `/api/follow-up-rounds/${round.id}/indicators?mine=true`);
    expect(closed).toMatchObject({ roundStatus: 'closed', items: [{ goalId: safe.id, mayEnter: false }] });
    await fails(reporterSon, 'PUT', `/api/follow-up-rounds/${round.id}/indicators/${safe.id}`, { measuredOn: '2025-12-31', value: 70 }, 409, 'ROUND_CLOSED');
    expect(await roundValues(safe.id)).toEqual([]);
  });
});
