import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Config } from '../../config.ts';
import type { Db, Executor } from '../../db/client.ts';
import { recordAudit, type RequestContext } from '../../lib/audit.ts';
import { AppError } from '../../lib/errors.ts';
import { PermanentJobError, defineJob } from '../../lib/jobs.ts';
import type { RecurringJob } from '../../lib/job-runner.ts';
import boundary from '../../seed/lund-boundary.json' with { type: 'json' };
import { uuids } from '../../db/helpers.ts';

export const POLICE_POLL_JOB = 'incidents.police-poll';

/** The police event (alias `e`) is an event: its type is not excluded (the police's summaries and updates). Every count and map uses it. */
export const policeCountedSql = (alias = 'e') =>
  sql`not exists (select 1 from police_type_mappings x where x.police_type = ${sql.raw(alias)}.type and x.excluded)`;

/** Of these types, those without a category that are not excluded (to be mapped), in order. */
export async function unmappedTypesOf(ex: Executor, types: string[]) {
  if (!types.length) return [];
  const res = await ex.execute<{ type: string }>(sql`
    select t.type from unnest(${sql.param([...new Set(types)])}::text[]) as t(type)
    left join police_type_mappings m on m.police_type = t.type
    where m.category_id is null and not coalesce(m.excluded, false) order by t.type`);
  return res.rows.map((r) => r.type);
}

type Ring = number[][];
/** The municipal boundary (WGS84 GeoJSON, [lon, lat]) as a list of polygons, each a list of rings (outer first). */
function polygonsOf(geo: { features: { geometry: { type: string; coordinates: unknown } }[] }): Ring[][] {
  const out: Ring[][] = [];
  for (const f of geo.features) {
    if (f.geometry.type === 'Polygon') out.push(f.geometry.coordinates as Ring[]);
    else if (f.geometry.type === 'MultiPolygon') out.push(...(f.geometry.coordinates as Ring[][]));
  }
  return out;
}
const BOUNDARY = polygonsOf(boundary as never);

function inRing(lon: number, lat: number, ring: Ring) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
/** Point in polygon (even-odd, holes respected). */
export function pointInPolygons(lon: number, lat: number, polygons: Ring[][] = BOUNDARY) {
  return polygons.some(([outer, ...holes]) => inRing(lon, lat, outer) && !holes.some((h) => inRing(lon, lat, h)));
}

/** "2026-08-22 9:13:04 +02:00" (hour not zero-padded) → Date; also accepts ISO 8601. */
export function parsePoliceDate(v: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?\s*([+-]\d{2}):?(\d{2})$/.exec(v.trim());
  // JavaScript rolls 30 February over into March: check the calendar first.
  if (m && (Number(m[3]) < 1 || Number(m[3]) > new Date(Date.UTC(Number(m[1]), Number(m[2]), 0)).getUTCDate() || Number(m[4]) > 23)) return null;
  const d = m ? new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4].padStart(2, '0')}:${m[5]}:${m[6] ?? '00'}${m[7]}:${m[8]}`) : new Date(NaN);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function parseGps(v: unknown): { lat: number; lon: number } | null {
  if (typeof v !== 'string') return null;
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$/.exec(v);
  if (!m) return null;
  const lat = Number(m[1]);
  const lon = Number(m[2]);
  return lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180 ? { lat, lon } : null;
}

const row = z.object({
  id: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  datetime: z.string().max(60),
  name: z.string().min(1).max(500),
  summary: z.string().max(5000).optional().nullable(),
  url: z.string().max(1000).optional().nullable(),
  type: z.string().min(1).max(200),
  location: z.object({ name: z.string().min(1).max(200), gps: z.string().max(100) }),
});

export interface PoliceEventInput {
  id: number;
  datetime: Date;
  name: string;
  summary: string;
  url: string | null;
  type: string;
  locationName: string;
  lat: number;
  lon: number;
}

const clean = (s: string) => s.replace(/\u0000/g, '');

/** The police API gives its event pages as paths on polisen.se ("/aktuellt/handelser/…"). */
const POLICE_SITE = 'https://polisen.se';

/**
 * An event's link as it may be shown as a link: an absolute http(s) URL, or a path on polisen.se made
 * absolute. Anything else — javascript:, data:, vbscript:, a protocol-relative "//host" — is dropped
 * (null); the event itself is kept.
 */
export function policeLink(raw: string | null | undefined): string | null {
  const s = clean(raw ?? '').trim();
  if (!s) return null;
  const onPoliceSite = s.startsWith('/') && !/^\/[\\/]/.test(s);
  if (!onPoliceSite && !URL.canParse(s)) return null;
  const url = onPoliceSite ? new URL(s, POLICE_SITE) : new URL(s);
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.href.length <= 2000 ? url.href : null;
}

/** Reads a police events file: the whole file must be a JSON array; each row is checked on its own (a per-row report). */
export function parsePoliceFile(data: Buffer | string) {
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof data === 'string' ? data : data.toString('utf8').replace(/^\uFEFF/, ''));
  } catch {
    throw new AppError('POLICE_FILE_INVALID');
  }
  if (!Array.isArray(parsed)) throw new AppError('POLICE_FILE_INVALID');
  const events: PoliceEventInput[] = [];
  const errors: { row: number; id?: unknown; message: string }[] = [];
  parsed.forEach((raw, i) => {
    const n = i + 1;
    const id = (raw as { id?: unknown } | null)?.id;
    const r = row.safeParse(raw);
    if (!r.success) {
      const missing = r.error.issues[0];
      errors.push({ row: n, id, message: `Fältet ${missing.path.join('.') || '(raden)'} saknas eller har fel format.` });
      return;
    }
    const datetime = parsePoliceDate(r.data.datetime);
    if (!datetime) return void errors.push({ row: n, id, message: 'Fältet datetime har fel format (väntat t.ex. "2026-08-22 9:13:04 +02:00").' });
    const gps = parseGps(r.data.location.gps);
    if (!gps) return void errors.push({ row: n, id, message: 'Fältet location.gps har fel format (väntat "lat,lon", t.ex. "55.70466,13.191007").' });
    events.push({
      id: r.data.id,
      datetime,
      name: clean(r.data.name),
      summary: clean(r.data.summary ?? ''),
      url: policeLink(r.data.url),
      type: clean(r.data.type),
      locationName: clean(r.data.location.name),
      ...gps,
    });
  });
  return { total: parsed.length, events, errors };
}

export function municipalityFilter(config: Pick<Config, 'POLICE_LOCATION_NAMES'>) {
  const names = new Set(config.POLICE_LOCATION_NAMES.split(',').map((s) => s.trim().toLocaleLowerCase('sv')).filter(Boolean));
  return (e: PoliceEventInput) => names.has(e.locationName.trim().toLocaleLowerCase('sv')) || pointInPolygons(e.lon, e.lat);
}

/**
 * Stores events, deduplicated by the police id: new ones are inserted, changed ones (the police update
 * events) updated, identical ones counted as duplicates. One statement over arrays, in the caller's transaction.
 */
export async function storePoliceEvents(ex: Executor, events: PoliceEventInput[]) {
  if (!events.length) return { imported: 0, updated: 0 };
  let imported = 0;
  let updated = 0;
  for (let i = 0; i < events.length; i += 5000) {
    const chunk = events.slice(i, i + 5000);
    const col = <K extends keyof PoliceEventInput>(k: K) => chunk.map((e) => e[k]);
    const res = await ex.execute<{ inserted: boolean }>(sql`
      insert into police_events (id, datetime, name, summary, url, type, location_name, lat, lon)
      select * from unnest(${sql.param(col('id').map(String))}::bigint[], ${sql.param(col('datetime').map((d) => d.toISOString()))}::timestamptz[],
        ${sql.param(col('name'))}::text[], ${sql.param(col('summary'))}::text[], ${sql.param(col('url'))}::text[], ${sql.param(col('type'))}::text[],
        ${sql.param(col('locationName'))}::text[], ${sql.param(col('lat'))}::float8[], ${sql.param(col('lon'))}::float8[])
      on conflict (id) do update set datetime = excluded.datetime, name = excluded.name, summary = excluded.summary, url = excluded.url,
        type = excluded.type, location_name = excluded.location_name, lat = excluded.lat, lon = excluded.lon, imported_at = now()
      where (police_events.datetime, police_events.name, police_events.summary, police_events.url, police_events.type, police_events.location_name, police_events.lat, police_events.lon)
        is distinct from (excluded.datetime, excluded.name, excluded.summary, excluded.url, excluded.type, excluded.location_name, excluded.lat, excluded.lon)
      returning (xmax = 0) as inserted`);
    for (const r of res.rows) if (r.inserted) imported++;
    else updated++;
  }
  return { imported, updated };
}

export function createPoliceImporter({ db, config }: { db: Db; config: Pick<Config, 'POLICE_LOCATION_NAMES'> }) {
  const keep = municipalityFilter(config);
  return {
    async importFile(ctx: RequestContext, data: Buffer | string, source = 'file') {
      const { total, events, errors } = parsePoliceFile(data);
      // Duplicates within the file: the first occurrence wins.
      const seen = new Set<number>();
      let duplicates = 0;
      const unique: PoliceEventInput[] = [];
      for (const e of events) {
        if (seen.has(e.id)) duplicates++;
        else {
          seen.add(e.id);
          unique.push(e);
        }
      }
      const inside = unique.filter(keep);
      const outsideMunicipality = unique.length - inside.length;
      return db.transaction(async (tx) => {
        const { imported, updated } = await storePoliceEvents(tx, inside);
        duplicates += inside.length - imported - updated;
        const unmappedTypes = await unmappedTypesOf(tx, inside.map((e) => e.type));
        const result = { total, imported, updated, duplicates, outsideMunicipality, errors, unmappedTypes };
        await recordAudit(tx, ctx, { entityType: 'police_events', entityId: source, action: 'import', after: { ...result, errors: errors.length } });
        return result;
      });
    },

    async list(q: { from?: string; to?: string; type?: string; bbox?: [number, number, number, number]; limit: number; offset: number }) {
      const where = [sql`true`];
      if (q.from) where.push(sql`e.datetime >= ${q.from}`);
      if (q.to) where.push(sql`e.datetime < ${q.to}`);
      if (q.type) where.push(sql`e.type = ${q.type}`);
      if (q.bbox) where.push(sql`e.lon between ${q.bbox[0]} and ${q.bbox[2]} and e.lat between ${q.bbox[1]} and ${q.bbox[3]}`);
      // Without a period or a box (the list as it opens, or by type) the total is a sum of the kept counts per
      // type (police_event_counts, migration 0029), not a count of every event.
      const total =
        q.from || q.to || q.bbox
          ? sql`(select count(*)::int from police_events e where ${sql.join(where, sql` and `)})`
          : sql`(select coalesce(sum(k.n), 0)::int from police_event_counts k${q.type ? sql` where k.type = ${q.type}` : sql``})`;
      const res = await db.execute<{ id: string; datetime: Date; name: string; summary: string; url: string | null; type: string; location_name: string; lat: number; lon: number; category_id: string | null; category_key: string | null; total: number }>(sql`
        with counted as (select ${total} as total)
        select p.*, counted.total
        from counted
        left join lateral (
          select e.*, m.category_id, c.key as category_key
          from (select e.* from police_events e where ${sql.join(where, sql` and `)}
                order by e.datetime desc, e.id desc limit ${q.limit} offset ${q.offset}) e
          left join police_type_mappings m on m.police_type = e.type left join incident_categories c on c.id = m.category_id
        ) p on true
        order by p.datetime desc, p.id desc`);
      // As the case list: the page walks the datetime index and stops at `limit`, the total is counted on its own
      // (a window count would sort every matching event); the count drives, so a page past the end keeps the total.
      const rows = res.rows.filter((r) => r.id !== null);
      return {
        items: rows.map((r) => ({
          id: Number(r.id),
          datetime: new Date(r.datetime).toISOString(),
          name: r.name,
          summary: r.summary,
          // Also on the way out: links stored before they were checked on the way in.
          url: policeLink(r.url),
          type: r.type,
          locationName: r.location_name,
          lat: Number(r.lat),
          lon: Number(r.lon),
          categoryId: r.category_id,
          categoryKey: r.category_key,
        })),
        total: res.rows[0]?.total ?? 0,
      };
    },

    async listMappings(ex: Executor = db) {
      const res = await ex.execute<{ police_type: string; category_id: string | null; category_key: string | null; excluded: boolean | null }>(sql`
        select t.police_type, m.category_id, c.key as category_key, m.excluded
        from (select police_type from police_type_mappings union select distinct type from police_events) t
        left join police_type_mappings m on m.police_type = t.police_type left join incident_categories c on c.id = m.category_id
        order by t.police_type`);
      return { items: res.rows.map((r) => ({ policeType: r.police_type, categoryId: r.category_id, categoryKey: r.category_key, excluded: !!r.excluded })) };
    },

    async saveMappings(ctx: RequestContext, items: { policeType: string; categoryId: string | null; excluded?: boolean }[]) {
      return db.transaction(async (tx) => {
        const ids = [...new Set(items.map((i) => i.categoryId).filter((v): v is string => !!v))];
        if (ids.length) {
          const found = new Set((await tx.execute<{ id: string }>(sql`select id from incident_categories where id = any(${uuids(ids)})`)).rows.map((r) => r.id));
          const bad = items.findIndex((i) => i.categoryId && !found.has(i.categoryId));
          if (bad >= 0) throw new AppError('VALIDATION_FAILED', [{ path: `items.${bad}.categoryId`, message: 'CATEGORY_NOT_FOUND' }]);
        }
        // One statement for all rows; a type named twice keeps its last choice (as row-by-row saving did).
        // An excluded type (not an event) has no category.
        const last = new Map(items.map((i) => [i.policeType, { categoryId: i.excluded ? null : i.categoryId, excluded: !!i.excluded }]));
        const values = [...last.values()];
        await tx.execute(sql`insert into police_type_mappings (police_type, category_id, excluded)
          select * from unnest(${sql.param([...last.keys()])}::text[], ${sql.param(values.map((v) => v.categoryId))}::uuid[], ${sql.param(values.map((v) => v.excluded))}::boolean[])
          on conflict (police_type) do update set category_id = excluded.category_id, excluded = excluded.excluded, updated_at = now()`);
        await recordAudit(tx, ctx, { entityType: 'police_type_mappings', entityId: 'all', action: 'update', after: items });
        return this.listMappings(tx);
      });
    },
  };
}

/** The scheduled fetch: only when POLICE_EVENTS_URL is configured. */
export function policeRecurring(config: Pick<Config, 'POLICE_EVENTS_URL' | 'POLICE_EVENTS_INTERVAL_MINUTES'>): RecurringJob[] {
  return config.POLICE_EVENTS_URL ? [{ type: POLICE_POLL_JOB, everyMs: config.POLICE_EVENTS_INTERVAL_MINUTES * 60_000 }] : [];
}

export const policePollJob = defineJob(POLICE_POLL_JOB, async ({ db, config, signal }) => {
  if (!config.POLICE_EVENTS_URL) return { skipped: 'POLICE_EVENTS_URL not set' };
  const res = await fetch(config.POLICE_EVENTS_URL, { headers: { 'user-agent': 'Trygg (kommunens trygghetssystem)', accept: 'application/json' }, signal: AbortSignal.any([signal, AbortSignal.timeout(30_000)]) });
  // The police treat 404 as permanent: stop retrying.
  if (res.status === 404) throw new PermanentJobError('Police events URL answered 404');
  if (!res.ok) throw new Error(`Police events URL answered ${res.status}`);
  const body = Buffer.from(await res.arrayBuffer());
  try {
    return await createPoliceImporter({ db, config }).importFile({ requestId: 'police-poll' }, body, 'url');
  } catch (e) {
    if (e instanceof AppError) throw new PermanentJobError(`Police events file invalid: ${e.code}`);
    throw e;
  }
});
