import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { createArea, updateArea } from '../../../shared/schemas/incidents.ts';
import type { Db, Executor } from '../../db/client.ts';
import { incidentAreas } from '../../db/schema/index.ts';
import { recordAudit, type RequestContext } from '../../lib/audit.ts';
import { AppError } from '../../lib/errors.ts';
import { pointInPolygons } from './incidents.police.ts';
import { uuids } from '../../db/helpers.ts';

type Ring = number[][];
export type AreaRow = typeof incidentAreas.$inferSelect;

export function polygonsOfGeometry(g: { type: string; coordinates: unknown }): Ring[][] {
  return g.type === 'Polygon' ? [g.coordinates as Ring[]] : (g.coordinates as Ring[][]);
}

function bboxOf(polys: Ring[][]) {
  let minLat = Infinity, minLon = Infinity, maxLat = -Infinity, maxLon = -Infinity;
  for (const p of polys) for (const [lon, lat] of p[0]) {
    minLat = Math.min(minLat, lat); maxLat = Math.max(maxLat, lat);
    minLon = Math.min(minLon, lon); maxLon = Math.max(maxLon, lon);
  }
  return { minLat, minLon, maxLat, maxLon };
}

/** The first active area (by priority, then name) that contains the point. */
export function areaOf(areas: AreaRow[], lat: number | null, lon: number | null): string | null {
  if (lat === null || lon === null) return null;
  for (const a of areas) {
    if (!a.active || lat < a.minLat || lat > a.maxLat || lon < a.minLon || lon > a.maxLon) continue;
    if (pointInPolygons(lon, lat, polygonsOfGeometry(a.geometry as never))) return a.id;
  }
  return null;
}

export const listAreas = (ex: Executor) => ex.select().from(incidentAreas).orderBy(incidentAreas.priority, incidentAreas.name);

/** The area a point lies in: only the active areas whose stored bounding box holds it are read, then point-in-polygon on those. */
export async function areaAt(ex: Executor, lat: number, lon: number): Promise<string | null> {
  const candidates = await ex
    .select()
    .from(incidentAreas)
    .where(sql`${incidentAreas.active} and ${incidentAreas.minLon} <= ${lon} and ${incidentAreas.maxLon} >= ${lon} and ${incidentAreas.minLat} <= ${lat} and ${incidentAreas.maxLat} >= ${lat}`)
    .orderBy(incidentAreas.priority, incidentAreas.name);
  return areaOf(candidates, lat, lon);
}

/** Re-assigns every positioned incident inside the bounding box to its area. */
async function reassign(ex: Executor, box: { minLat: number; minLon: number; maxLat: number; maxLon: number }) {
  const areas = await listAreas(ex);
  const rows = await ex.execute<{ id: string; lat: number; lon: number; area_id: string | null }>(sql`
    select id, lat, lon, area_id from incidents where lat between ${box.minLat} and ${box.maxLat} and lon between ${box.minLon} and ${box.maxLon}`);
  const changes = new Map<string | null, string[]>();
  for (const r of rows.rows) {
    const a = areaOf(areas, Number(r.lat), Number(r.lon));
    if (a !== r.area_id) changes.set(a, [...(changes.get(a) ?? []), r.id]);
  }
  for (const [areaId, ids] of changes) await ex.execute(sql`update incidents set area_id = ${areaId} where id = any(${uuids(ids)})`);
}

const toArea = (a: AreaRow) => ({ id: a.id, name: a.name, kind: a.kind, priority: a.priority, active: a.active, geometry: a.geometry, version: a.version });

export function createAreaService({ db }: { db: Db }) {
  return {
    async list() {
      return { items: (await listAreas(db)).map(toArea) };
    },
    async create(ctx: RequestContext, input: z.infer<typeof createArea>) {
      return db.transaction(async (tx) => {
        const box = bboxOf(polygonsOfGeometry(input.geometry));
        const [row] = await tx.insert(incidentAreas).values({ name: input.name, kind: input.kind ?? 'district', priority: input.priority ?? 0, geometry: input.geometry, ...box }).returning();
        await reassign(tx, box);
        await recordAudit(tx, ctx, { entityType: 'incident_area', entityId: row.id, action: 'create', after: { ...row, geometry: '(GeoJSON)' } });
        return toArea(row);
      });
    },
    async update(ctx: RequestContext, id: string, input: z.infer<typeof updateArea>) {
      return db.transaction(async (tx) => {
        const [before] = await tx.select().from(incidentAreas).where(sql`${incidentAreas.id} = ${id}`);
        if (!before) throw new AppError('NOT_FOUND');
        const { version, geometry, ...rest } = input;
        const box = geometry ? bboxOf(polygonsOfGeometry(geometry)) : undefined;
        const [row] = await tx
          .update(incidentAreas)
          .set({ ...rest, ...(geometry ? { geometry, ...box } : {}), version: sql`${incidentAreas.version} + 1`, updatedAt: new Date() })
          .where(sql`${incidentAreas.id} = ${id} and ${incidentAreas.version} = ${version}`)
          .returning();
        if (!row) throw new AppError('VERSION_CONFLICT');
        const union = box ? { minLat: Math.min(box.minLat, before.minLat), minLon: Math.min(box.minLon, before.minLon), maxLat: Math.max(box.maxLat, before.maxLat), maxLon: Math.max(box.maxLon, before.maxLon) } : before;
        await reassign(tx, union);
        await recordAudit(tx, ctx, { entityType: 'incident_area', entityId: id, action: 'update', before: { ...before, geometry: '(GeoJSON)' }, after: { ...row, geometry: '(GeoJSON)' } });
        return toArea(row);
      });
    },
    /** Removes an area; its incidents move to the next area containing them (or none). The audit keeps the whole polygon, so it can be redrawn. */
    async remove(ctx: RequestContext, id: string, version: number) {
      return db.transaction(async (tx) => {
        const [before] = await tx.select().from(incidentAreas).where(sql`${incidentAreas.id} = ${id}`);
        if (!before) throw new AppError('NOT_FOUND');
        const [row] = await tx.delete(incidentAreas).where(sql`${incidentAreas.id} = ${id} and ${incidentAreas.version} = ${version}`).returning({ id: incidentAreas.id });
        if (!row) throw new AppError('VERSION_CONFLICT');
        await tx.execute(sql`update incidents set area_id = null where area_id = ${id}`);
        await reassign(tx, before);
        await recordAudit(tx, ctx, { entityType: 'incident_area', entityId: id, action: 'delete', before });
        return { ok: true as const };
      });
    },
  };
}
