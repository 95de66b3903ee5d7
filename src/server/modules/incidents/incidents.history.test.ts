import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../../../../test/helpers/app.ts';
import { signInAs } from '../../../../test/helpers/http.ts';
import { demoPoliceEvents, generateIncidentHistory, HISTORY_MODEL } from './incidents.history.ts';
import { pointInPolygons } from './incidents.police.ts';

const DAY = 86_400_000;
const seedDay = new Date('2026-12-07T12:00:00Z');

describe('the demo history (issue #13 item 11), generated', () => {
  const rows = generateIncidentHistory(seedDay);

  it('covers at least two years up to the day before the seed day, so last year always has data', () => {
    const times = rows.map((r) => r.occurredAt.getTime());
    expect(Math.min(...times)).toBeLessThanOrEqual(seedDay.getTime() - 2 * 365 * DAY);
    expect(Math.max(...times)).toBeGreaterThan(seedDay.getTime() - 2 * DAY);
    expect(Math.max(...times)).toBeLessThan(seedDay.getTime());
    // The last four weeks and the same four weeks last year both have incidents (the trend and the weekly view).
    const inWindow = (from: number, to: number) => rows.filter((r) => r.occurredAt.getTime() >= from && r.occurredAt.getTime() < to).length;
    expect(inWindow(seedDay.getTime() - 28 * DAY, seedDay.getTime())).toBeGreaterThan(50);
    expect(inWindow(seedDay.getTime() - (365 + 28) * DAY, seedDay.getTime() - 365 * DAY)).toBeGreaterThan(50);
  });

  it('has data in every category, all marked as example data, known after they occurred', () => {
    const keys = new Set(rows.map((r) => r.categoryKey));
    for (const m of HISTORY_MODEL) expect(keys, m.key).toContain(m.key);
    expect(rows.every((r) => r.isExample)).toBe(true);
    expect(rows.every((r) => r.knownAt >= r.occurredAt && r.knownAt < seedDay)).toBe(true);
    expect(rows.filter((r) => r.categoryKey === 'staff_threat').every((r) => r.staff !== null && r.lat === null)).toBe(true);
  });

  it('has a seasonal pattern: vandalism and disorder in summer evenings, fire around new year', () => {
    const count = (key: string, month: number, f: (d: Date) => boolean = () => true) =>
      rows.filter((r) => r.categoryKey === key && r.occurredAt.getUTCMonth() === month && f(r.occurredAt)).length;
    expect(count('vandalism', 6)).toBeGreaterThan(2 * count('vandalism', 1));
    expect(count('disorder', 6)).toBeGreaterThan(2 * count('disorder', 1));
    // In the evening (17–02 Swedish summer time = 15–01 UTC) rather than the morning.
    const evening = (d: Date) => d.getUTCHours() >= 15 || d.getUTCHours() < 1;
    expect(count('vandalism', 6, evening)).toBeGreaterThan(count('vandalism', 6, (d) => !evening(d)));
    // New year's eve and day (Swedish time) against the mean of two days in the year.
    const fires = rows.filter((r) => r.categoryKey === 'fire');
    const newYear = fires.filter((r) => {
      const local = new Date(r.occurredAt.getTime() + 3_600_000);
      return (local.getUTCMonth() === 11 && local.getUTCDate() === 31) || (local.getUTCMonth() === 0 && local.getUTCDate() === 1);
    }).length;
    expect(newYear / 3).toBeGreaterThan((5 * 2 * fires.length) / (3 * 365));
  });

  it('places every positioned incident inside the municipal boundary', () => {
    const placed = rows.filter((r) => r.lat !== null);
    expect(placed.length).toBeGreaterThan(rows.length / 2);
    expect(placed.filter((r) => !pointInPolygons(r.lon!, r.lat!))).toEqual([]);
  });

  it('is deterministic: the same seed day gives the same history', () => {
    const again = generateIncidentHistory(seedDay);
    expect(again.length).toBe(rows.length);
    expect(again.map((r) => [r.categoryKey, r.orgKey, r.occurredAt.toISOString(), r.lat, r.lon])).toEqual(rows.map((r) => [r.categoryKey, r.orgKey, r.occurredAt.toISOString(), r.lat, r.lon]));
  });

  it('moves the sample police events into the last two weeks and into Lund', () => {
    const events = demoPoliceEvents(seedDay);
    expect(events).toHaveLength(40);
    for (const e of events) {
      expect(e.datetime.getTime()).toBeGreaterThan(seedDay.getTime() - 15 * DAY);
      expect(e.datetime.getTime()).toBeLessThan(seedDay.getTime());
      expect(pointInPolygons(e.lon, e.lat)).toBe(true);
      expect(e.locationName).toBe('Lund');
      expect(e.summary).toMatch(/^Exempel/);
    }
  });
});

describe('the demo history, seeded', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestApp({ history: true });
  }, 120_000);
  afterAll(() => ctx?.close());

  it('gives every category incidents, all example data, and the police layer its events', async () => {
    const db = ctx.database.db;
    const perCategory = await db.execute<{ key: string; n: number; ex: number }>(sql`
      select c.key, count(i.id)::int as n, count(i.id) filter (where i.is_example)::int as ex
      from incident_categories c left join incidents i on i.category_id = c.id group by c.key`);
    for (const r of perCategory.rows) {
      expect(r.n, r.key).toBeGreaterThan(0);
      expect(r.ex, r.key).toBe(r.n);
    }
    const police = await db.execute<{ n: number; recent: number }>(sql`
      select count(*)::int as n, count(*) filter (where datetime > now() - interval '15 days')::int as recent from police_events`);
    expect(police.rows[0]).toEqual({ n: 40, recent: 40 });
    // Grouped by the demo districts: most positioned incidents lie in one.
    const inArea = await db.execute<{ placed: number; in_area: number; areas: number }>(sql`
      select count(*) filter (where lat is not null)::int as placed, count(area_id)::int as in_area, count(distinct area_id)::int as areas from incidents`);
    expect(inArea.rows[0].areas).toBe(6);
    expect(inArea.rows[0].in_area).toBeGreaterThan(inArea.rows[0].placed * 0.8);
    // No historical work-environment clock is left running (it would alert as overdue).
    const running = await db.execute<{ n: number }>(sql`
      select count(*)::int as n from incident_clocks k join incidents i on i.id = k.incident_id where k.stopped_at is null and i.occurred_at < now() - interval '2 days'`);
    expect(running.rows[0].n).toBe(0);
  });

  it('gives part 1 of the lägesbild example crime statistics and a survey for the last four years, labelled invented', async () => {
    const coordinator = await signInAs(ctx.app, 'samordnare@lund.example');
    const res = await coordinator.get('/api/lagesbild/crime-statistics');
    expect(res.statusCode, res.body).toBe(200);
    const items: { kind: string; year: number; source: string; municipalityCode: string }[] = res.json().items;
    const thisYear = Number(new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', year: 'numeric' }).format(new Date()));
    expect(new Set(items.map((x) => x.year))).toEqual(new Set([thisYear - 4, thisYear - 3, thisYear - 2, thisYear - 1]));
    expect(new Set(items.map((x) => x.kind))).toEqual(new Set(['reported', 'survey']));
    expect(items.every((x) => x.source.startsWith('Exempeldata (påhittad') && x.municipalityCode === '1281')).toBe(true);
  });

  it('fills the weekly view: last week against the weeks before, per area, with the police layer', async () => {
    const coordinator = await signInAs(ctx.app, 'samordnare@lund.example');
    const res = await coordinator.get('/api/lagesbild/weeks');
    expect(res.statusCode, res.body).toBe(200);
    const view = res.json();
    expect(view.total.incidents).toBeGreaterThan(10);
    expect(view.total.police).toBeGreaterThan(0);
    expect(view.compareWeeks.every((w: { total: number }) => w.total > 0)).toBe(true);
    expect(view.byArea.filter((a: { areaName: string | null }) => a.areaName?.endsWith('(exempel)')).length).toBeGreaterThanOrEqual(3);
  });

  it('keeps the historical staff threats restricted: counted for the coordinator, not for the reader', async () => {
    const db = ctx.database.db;
    const staff = await db.execute<{ id: string; n: number; restricted: number }>(sql`
      select c.id, count(i.id)::int as n, count(i.id) filter (where i.restricted)::int as restricted
      from incident_categories c join incidents i on i.category_id = c.id where c.key = 'staff_threat' group by c.id`);
    const { id: staffId, n } = staff.rows[0];
    expect(n).toBeGreaterThan(20);
    expect(staff.rows[0].restricted).toBe(n);
    const to = new Date().toISOString();
    const from = new Date(Date.now() - 3 * 365 * DAY).toISOString();
    const q = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
    const coordinator = await signInAs(ctx.app, 'samordnare@lund.example');
    const reader = await signInAs(ctx.app, 'lasare@lund.example');
    const forCoordinator = (await coordinator.get(`/api/incident-statistics?${q}`)).json();
    const forReader = (await reader.get(`/api/incident-statistics?${q}`)).json();
    const staffCount = (st: { byCategory: { categoryKey: string; count: number }[] }) => st.byCategory.find((c) => c.categoryKey === 'staff_threat')?.count ?? 0;
    expect(staffCount(forCoordinator)).toBeGreaterThan(20);
    expect(staffCount(forReader)).toBe(0);
    expect(forReader.total).toBeLessThan(forCoordinator.total);
    const readerList = await reader.get(`/api/incidents?categoryId=${staffId}`);
    expect(readerList.statusCode, readerList.body).toBe(200);
    expect(readerList.json().total).toBe(0);
    expect(readerList.body).not.toContain('Exempel: besökare hotade');
  });
});
