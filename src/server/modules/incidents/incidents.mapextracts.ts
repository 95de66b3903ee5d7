import { sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db, Executor } from '../../db/client.ts';
import { uuids } from '../../db/helpers.ts';
import { mapExtracts } from '../../db/schema/index.ts';
import { recordAudit, type RequestContext } from '../../lib/audit.ts';
import { loadOrgTree } from '../../lib/context.ts';
import { AppError } from '../../lib/errors.ts';
import type { Actor } from '../../lib/policies.ts';
import { accessOf, incidentOpenSql, incidentVisibleSql, mapExtractVisibleSql, type Access } from '../../access/index.ts';
import type { createMapExtract, MapExtractT } from '../../../shared/schemas/lagesbild.ts';

/** At most this many incidents in one extract: a partner gets a readable extract, not a data dump. */
export const MAP_EXTRACT_MAX_POINTS = 2000;

type Row = {
  id: string; title: string; west: number; south: number; east: number; north: number; period_from: Date | string | null; period_to: Date | string | null;
  category: string | null; points: MapExtractT['points']; created_by: string; created_by_name: string; created_at: Date | string;
};
const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

/** Extracts matching `where`; callers add who may see them (mapExtractVisibleSql) or come through a share. */
async function rows(ex: Executor, where: SQL): Promise<Row[]> {
  const r = await ex.execute<Row>(sql`
    select m.id, m.title, m.west, m.south, m.east, m.north, m.period_from, m.period_to, k.name as category, m.points, m.created_by, u.name as created_by_name,
           m.created_at
    from map_extracts m join users u on u.id = m.created_by left join incident_categories k on k.id = m.category_id
    where ${where} order by m.created_at desc limit 500`);
  return r.rows;
}
const present = (r: Row): MapExtractT => ({
  id: r.id,
  title: r.title,
  bbox: [Number(r.west), Number(r.south), Number(r.east), Number(r.north)],
  from: iso(r.period_from),
  to: iso(r.period_to),
  category: r.category,
  points: r.points,
  createdBy: { id: r.created_by, name: r.created_by_name },
  createdAt: iso(r.created_at)!,
});

/** The map extracts of ids that the actor may see (for the shares module: titles, owners). */
export async function findMapExtracts(ex: Executor, a: Access, ids: string[]) {
  return (await rows(ex, sql`${mapExtractVisibleSql(a)} and m.id = any(${uuids(ids)})`)).map(present);
}

/** One map extract as a partner sees it through a share (the share decides access). */
export async function mapExtractById(ex: Executor, id: string): Promise<MapExtractT | undefined> {
  const [r] = await rows(ex, sql`m.id = ${id}`);
  return r && present(r);
}

/**
 * Map extracts: the open incidents (not restricted, not secret) the maker may see in a box, period and
 * category, kept as they were when made — category, time and position only — so that a coordinator can
 * share exactly that with a partner (the shares module, record type `map_extract`).
 */
export function createMapExtracts({ db }: { db: Db }) {
  return {
    async create(ctx: RequestContext, actor: Actor, input: z.infer<typeof createMapExtract>): Promise<MapExtractT> {
      return db.transaction(async (tx) => {
        const a = accessOf(actor, await loadOrgTree(tx));
        const [w, s, e, n] = input.bbox;
        const where: SQL[] = [incidentVisibleSql(a), incidentOpenSql('i'), sql`i.lat is not null and i.lon between ${w} and ${e} and i.lat between ${s} and ${n}`];
        if (input.categoryId) {
          const c = await tx.execute(sql`select 1 from incident_categories where id = ${input.categoryId}`);
          if (!c.rows.length) throw new AppError('VALIDATION_FAILED', [{ path: 'categoryId', message: 'CATEGORY_NOT_FOUND' }]);
          where.push(sql`i.category_id = ${input.categoryId}`);
        }
        if (input.from) where.push(sql`i.occurred_at >= ${input.from}`);
        if (input.to) where.push(sql`i.occurred_at < ${input.to}`);
        const found = await tx.execute<{ lat: number; lon: number; key: string; name: string; at: Date | string }>(sql`
          select round(i.lat::numeric, 5)::float8 as lat, round(i.lon::numeric, 5)::float8 as lon, k.key, k.name, i.occurred_at as at
          from incidents i join incident_categories k on k.id = i.category_id where ${sql.join(where, sql` and `)}
          order by i.occurred_at, i.id limit ${MAP_EXTRACT_MAX_POINTS + 1}`);
        if (found.rows.length > MAP_EXTRACT_MAX_POINTS) throw new AppError('MAP_EXTRACT_TOO_LARGE', [{ path: 'bbox', message: 'MAP_EXTRACT_TOO_LARGE' }]);
        const points = found.rows.map((p) => ({ lat: Number(p.lat), lon: Number(p.lon), categoryKey: p.key, category: p.name, occurredAt: new Date(p.at).toISOString() }));
        const [row] = await tx
          .insert(mapExtracts)
          .values({ title: input.title, west: w, south: s, east: e, north: n, periodFrom: input.from ? new Date(input.from) : null, periodTo: input.to ? new Date(input.to) : null, categoryId: input.categoryId ?? null, points, createdBy: actor.id })
          .returning();
        await recordAudit(tx, ctx, { entityType: 'map_extract', entityId: row.id, action: 'create', after: { ...row, points: points.length } });
        const [made] = await rows(tx, sql`m.id = ${row.id}`);
        return present(made);
      });
    },

    async list(actor: Actor) {
      const a = accessOf(actor, await loadOrgTree(db));
      return { items: (await rows(db, mapExtractVisibleSql(a))).map((r) => { const { points, ...rest } = present(r); return { ...rest, count: points.length }; }) };
    },

    async get(actor: Actor, id: string) {
      const a = accessOf(actor, await loadOrgTree(db));
      const [r] = await rows(db, sql`${mapExtractVisibleSql(a)} and m.id = ${id}`);
      if (!r) throw new AppError('MAP_EXTRACT_NOT_FOUND');
      return present(r);
    },
  };
}
