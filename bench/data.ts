/**
 * Generated rows the benchmarks share (cases, incidents, governing documents), one `generate_series` insert per
 * batch, deterministic in i, so that each benchmark builds the same data the same way.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../src/server/db/client.ts';

/** A uuid[] parameter. */
export const uuids = (ids: string[]) => sql`${sql.param(ids)}::uuid[]`;

/**
 * Cases i = from…to in `series`: year firstYear + i % 11, number seqOffset + i / 11 (padded to `pad` digits), spread
 * over the organisations and officers, a third without an officer, one in 50 secret. Then the number counters.
 */
export async function insertBenchCases(db: Db, o: { series: string; registryOrganisationId: string; orgIds: string[]; userIds: string[]; from: number; to: number; firstYear: number; seqOffset: number; pad: number; batch?: number }) {
  const batch = o.batch ?? 50_000;
  for (let start = o.from; start <= o.to; start += batch) {
    const end = Math.min(o.to, start + batch - 1);
    await db.execute(sql`
      insert into cases (series, year, seq, registry_number, title, description, case_type, registry_organisation_id, organisation_id, officer_id, status, registered_on, secrecy_ref)
      select ${o.series}, y, s, ${o.series} || ' ' || y || '/' || lpad(s::text, ${o.pad}::int, '0'), 'Ärende ' || i, 'Beskrivning av ärende ' || i, 'Uppdrag', ${o.registryOrganisationId},
        (${uuids(o.orgIds)})[1 + (i * 13) % ${o.orgIds.length}], case when i % 3 = 0 then null else (${uuids(o.userIds)})[1 + (i * 17) % ${o.userIds.length}] end,
        (array['open','open','dormant','closed'])[1 + (i * 7) % 4], make_date(y, 1, 1) + ((i::bigint * 7919) % 360)::int,
        case when i % 50 = 7 then '26 kap. 1 § OSL' else null end
      from (select i, ${o.firstYear}::int + i % 11 as y, ${o.seqOffset}::int + i / 11 as s from generate_series(${start}::int, ${end}::int) i) g`);
  }
  await db.execute(sql`insert into case_number_counters (series, year, last) select series, year, max(seq) from cases group by 1, 2 on conflict (series, year) do update set last = excluded.last`);
}

/**
 * Incidents i = from…to over five years from December 2021, in a box over Lund, every category (the staff-safety
 * ones restricted), spread over the organisations and reporters and four statuses.
 */
export async function insertBenchIncidents(db: Db, o: { orgIds: string[]; userIds: string[]; from: number; to: number; batch?: number }) {
  const cats = (await db.execute<{ id: string; staff_safety: boolean }>(sql`select id, staff_safety from incident_categories order by sort_order, key`)).rows;
  const batch = o.batch ?? 100_000;
  for (let start = o.from; start <= o.to; start += batch) {
    const end = Math.min(o.to, start + batch - 1);
    await db.execute(sql`
      insert into incidents (category_id, description, occurred_at, known_at, lat, lon, organisation_id, reported_by, status, restricted)
      select (${uuids(cats.map((c) => c.id))})[1 + k], 'Bänkhändelse ' || i, t, t, 55.6 + (i % 1000) / 5000.0, 13.05 + (i % 997) / 2000.0,
        (${uuids(o.orgIds)})[1 + (i * 13) % ${o.orgIds.length}], (${uuids(o.userIds)})[1 + (i * 17) % ${o.userIds.length}],
        (array['new','in_progress','closed','closed'])[1 + (i * 7) % 4], (${sql.param(cats.map((c) => c.staff_safety))}::boolean[])[1 + k]
      from (select i, (i * 7) % ${cats.length} as k, timestamptz '2021-12-01T00:00:00Z' + ((i::bigint * 2654435761) % 157680000) * interval '1 second' as t
            from generate_series(${start}::int, ${end}::int) i) g`);
  }
}

/** Governing documents i = from…to: seven types, varied titles, spread over the owners; three in five in force. */
export async function insertBenchDocuments(db: Db, o: { orgIds: string[]; from: number; to: number; batch?: number }) {
  const batch = o.batch ?? 50_000;
  for (let start = o.from; start <= o.to; start += batch) {
    const end = Math.min(o.to, start + batch - 1);
    await db.execute(sql`
      insert into governing_documents (type, title, owner_organisation_id, status, next_review_on)
      select (array['program','plan','policy','guideline','strategy','action_plan','routine'])[1 + i % 7],
        (array['Riktlinje','Plan','Policy','Program','Rutin'])[1 + (i * 3) % 5] || ' för ' || (array['trygghet','brottsförebyggande arbete','krisberedskap','våld i nära relationer','skolan','fritid'])[1 + (i * 11) % 6] || ' ' || i,
        (${uuids(o.orgIds)})[1 + (i * 13) % ${o.orgIds.length}], (array['in_force','in_force','in_force','draft','repealed'])[1 + (i * 17) % 5],
        date '2026-01-01' + ((i * 7919) % 2000)
      from generate_series(${start}::int, ${end}::int) i`);
  }
}
