import { eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { one, updateVersioned, uuids } from '../../db/helpers.ts';
import { followUpReports, followUpRounds } from '../../db/schema/index.ts';
import { camel } from './program.rows.ts';

/** The SQL of follow-up rounds: the rounds, their report counts and overview, the reports a round opens. */

export type RoundRow = typeof followUpRounds.$inferSelect;

export const roundsRepo = {
  updateVersioned,
  findRound: (ex: Executor, id: string) => one(ex.select().from(followUpRounds).where(eq(followUpRounds.id, id))),
  listRounds: (ex: Executor, programId?: string) =>
    ex
      .select()
      .from(followUpRounds)
      .where(programId ? eq(followUpRounds.programId, programId) : undefined)
      .orderBy(sql`${followUpRounds.openedAt} desc`),
  /** The program's rounds closed before `before`, oldest first, each with its goals' frozen progress (goal id → % or null). */
  async goalTrend(ex: Executor, programId: string, before: Date) {
    const r = await ex.execute<{ name: string; goals: Record<string, number | null> | null }>(sql`
      select r.name,
        (select jsonb_object_agg(g->>'id', g->'progress')
           from jsonb_array_elements(r.snapshot->'rollup'->'focusAreas') f, jsonb_array_elements(f->'goals') g) as goals
      from follow_up_rounds r
      where r.program_id = ${programId} and r.status = 'closed' and r.snapshot is not null and r.opened_at < ${before.toISOString()}
      order by r.opened_at, r.id`);
    return r.rows.map((row) => ({ name: row.name, goals: new Map(Object.entries(row.goals ?? {})) }));
  },
  insertRound: (ex: Executor, v: typeof followUpRounds.$inferInsert) => one(ex.insert(followUpRounds).values(v).returning()) as Promise<RoundRow>,
  /** Counts of reports per state for rounds, limited to reports on organisations in scope (undefined = all). */
  async roundCounts(ex: Executor, roundIds: string[], scope?: string[]) {
    if (!roundIds.length) return new Map<string, Record<string, number>>();
    const r = await ex.execute<{ round_id: string; state: string; n: number }>(sql`
      select round_id, state, count(*)::int as n from follow_up_reports
      where round_id = any(${uuids(roundIds)}) ${scope ? sql`and organisation_id = any(${uuids(scope)})` : sql``}
      group by round_id, state`);
    const out = new Map<string, Record<string, number>>();
    for (const row of r.rows) {
      const m = out.get(row.round_id) ?? {};
      m[row.state] = row.n;
      out.set(row.round_id, m);
    }
    return out;
  },
  insertReports: (ex: Executor, rows: (typeof followUpReports.$inferInsert)[]) =>
    rows.length ? ex.insert(followUpReports).values(rows) : Promise.resolve(),
  /** Per organisation: how far its reports in a round have come. */
  async roundOverview(ex: Executor, roundId: string, scope?: string[]) {
    const r = await ex.execute<Record<string, unknown>>(sql`
      select r.organisation_id, o.name as organisation_name, count(*)::int as total,
        count(*) filter (where r.state = 'submitted')::int as submitted,
        count(*) filter (where r.state = 'draft')::int as draft,
        count(*) filter (where r.state = 'returned')::int as returned,
        count(*) filter (where r.state = 'not_started')::int as not_started
      from follow_up_reports r join organisations o on o.id = r.organisation_id
      where r.round_id = ${roundId} ${scope ? sql`and r.organisation_id = any(${uuids(scope)})` : sql``}
      group by r.organisation_id, o.name order by o.name`);
    return r.rows.map((row) => camel(row));
  },
};
