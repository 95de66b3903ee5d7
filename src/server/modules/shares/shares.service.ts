import { sql, type SQL } from 'drizzle-orm';
import type { Db, Executor } from '../../db/client.ts';
import { uuids } from '../../db/helpers.ts';
import { shareComments, shares } from '../../db/schema/index.ts';
import { recordAudit, type RequestContext } from '../../lib/audit.ts';
import { AppError } from '../../lib/errors.ts';
import { loadOrgTree } from '../../lib/context.ts';
import type { Actor } from '../../lib/policies.ts';
import {
  accessOf,
  actionVisibleSql,
  activeShareSql,
  caseVisibleSql,
  incidentVisibleSql,
  lagesbildReportVisibleSql,
  logSecretReads,
  recordVisibleSql,
  type Access,
} from '../../access/index.ts';
import type { CreateShare, SharedRecordT, ShareRecordType, ShareT } from '../../../shared/schemas/access.ts';
import { findMapExtracts } from '../incidents/index.ts';
import { shareViews } from './shares.views.ts';

/**
 * Partner sharing: a coordinator shares one record with a partner organisation until an end date, with a
 * reason. The partner's users read it only through its share — a fixed projection of the record (shares.views.ts)
 * — and only while the share is active, decided when reading; every view is in the read log. Revoking ends
 * access at once. Owners see the shares of each record and every share with a partner.
 */

type Found = { owners: string[]; title: string };
interface ShareType {
  /** The records of `ids` the actor may see, by id: their owning organisations and what they are called (one query). */
  find(ex: Executor, a: Access, ids: string[]): Promise<Map<string, Found>>;
  /** The shares.manage right is needed on one of the owners ('root': on the municipality). */
  onRoot?: boolean;
}

/** Runs `q` (rows with `id`, `title` and owner columns `o1`, `o2`) and keys the found records by id. */
async function byId(ex: Executor, q: SQL): Promise<Map<string, Found>> {
  const r = await ex.execute<{ id: string; title: string; o1: string | null; o2: string | null }>(q);
  return new Map(r.rows.map((x) => [x.id, { title: x.title, owners: [x.o1, x.o2].filter((o): o is string => !!o) }]));
}

const SHARE_TYPES: Record<ShareRecordType, ShareType> = {
  incident: {
    find: (ex, a, ids) =>
      byId(ex, sql`
        select i.id, i.organisation_id as o1, null::uuid as o2,
               k.name || ' ' || to_char(i.occurred_at at time zone 'Europe/Stockholm', 'YYYY-MM-DD HH24:MI') || coalesce(', ' || i.place, '') as title
        from incidents i join incident_categories k on k.id = i.category_id where i.id = any(${uuids(ids)}) and ${incidentVisibleSql(a)}`),
  },
  case: {
    find: (ex, a, ids) =>
      byId(ex, sql`
        select c.id, c.organisation_id as o1, c.registry_organisation_id as o2, c.registry_number || ' ' || c.title as title
        from cases c where c.id = any(${uuids(ids)}) and ${caseVisibleSql(a)}`),
  },
  record: {
    find: (ex, a, ids) =>
      byId(ex, sql`
        select r.id, c.organisation_id as o1, c.registry_organisation_id as o2, c.registry_number || '-' || r.seq || ' ' || r.title as title
        from case_records r join cases c on c.id = r.case_id where r.id = any(${uuids(ids)}) and ${recordVisibleSql(a)}`),
  },
  lagesbild_report: {
    onRoot: true,
    find: (ex, a, ids) =>
      byId(ex, sql`select l.id, null::uuid as o1, null::uuid as o2, l.title from lagesbild_reports l where l.id = any(${uuids(ids)}) and ${lagesbildReportVisibleSql(a)}`),
  },
  action: {
    find: (ex, a, ids) =>
      byId(ex, sql`
        select a.id, a.responsible_organisation_id as o1, p.owner_organisation_id as o2, a.title
        from plan_actions a join goals g on g.id = a.goal_id join focus_areas f on f.id = g.focus_area_id join programs p on p.id = f.program_id
        where a.id = any(${uuids(ids)}) and ${actionVisibleSql(a)}`),
  },
  map_extract: {
    onRoot: true,
    find: async (ex, a, ids) => new Map((await findMapExtracts(ex, a, ids)).map((m) => [m.id, { title: m.title, owners: [] }])),
  },
};

/** One record, as `find` sees it. */
const findOne = async (ex: Executor, a: Access, type: ShareRecordType, id: string) => (await SHARE_TYPES[type].find(ex, a, [id])).get(id);

type ShareRow = {
  id: string; record_type: ShareRecordType; record_id: string; partner_organisation_id: string; partner_name: string; reason: string; ends_on: string;
  created_by: string; created_by_name: string; created_at: Date | string; revoked_at: Date | string | null; revoked_by: string | null; revoked_by_name: string | null;
  revoke_reason: string | null; version: number; comment_count: number;
};
const iso = (d: Date | string) => new Date(d).toISOString();

export function createShareService({ db }: { db: Db }) {
  const mayManage = (a: Access, t: ShareType, owners: string[]) => (t.onRoot ? a.canAtRoot('shares.manage') : a.canAny('shares.manage', owners));

  async function rows(ex: Executor, where: SQL): Promise<ShareRow[]> {
    const r = await ex.execute<ShareRow>(sql`
      select s.id, s.record_type, s.record_id, s.partner_organisation_id, o.name as partner_name, s.reason, s.ends_on::text as ends_on,
             s.created_by, cu.name as created_by_name, s.created_at, s.revoked_at, s.revoked_by, ru.name as revoked_by_name, s.revoke_reason, s.version,
             (select count(*)::int from share_comments m where m.share_id = s.id) as comment_count
      from shares s join organisations o on o.id = s.partner_organisation_id join users cu on cu.id = s.created_by left join users ru on ru.id = s.revoked_by
      where ${where} order by s.created_at desc, s.id limit 1000`);
    return r.rows;
  }

  /** Shares as their owners see them: only shares of records the actor may see and share (one lookup per record type). */
  async function present(ex: Executor, a: Access, list: ShareRow[]): Promise<ShareT[]> {
    const found = new Map<ShareRecordType, Map<string, Found>>();
    for (const type of new Set(list.map((s) => s.record_type)))
      found.set(type, await SHARE_TYPES[type].find(ex, a, [...new Set(list.filter((s) => s.record_type === type).map((s) => s.record_id))]));
    const out: ShareT[] = [];
    for (const s of list) {
      const t = SHARE_TYPES[s.record_type];
      const rec = found.get(s.record_type)?.get(s.record_id);
      if (!rec || !mayManage(a, t, rec.owners)) continue;
      out.push({
        id: s.id,
        recordType: s.record_type,
        recordId: s.record_id,
        recordTitle: rec.title,
        partnerOrganisation: { id: s.partner_organisation_id, name: s.partner_name },
        reason: s.reason,
        endsOn: s.ends_on,
        status: s.revoked_at ? 'revoked' : s.ends_on < a.today ? 'ended' : 'active',
        createdBy: { id: s.created_by, name: s.created_by_name },
        createdAt: iso(s.created_at),
        revokedAt: s.revoked_at ? iso(s.revoked_at) : null,
        revokedBy: s.revoked_by ? { id: s.revoked_by, name: s.revoked_by_name ?? '' } : null,
        revokeReason: s.revoke_reason,
        commentCount: s.comment_count,
        version: s.version,
      });
    }
    return out;
  }

  async function comments(ex: Executor, shareId: string) {
    const r = await ex.execute<{ id: string; author_id: string; name: string; org: string | null; text: string; created_at: Date | string }>(sql`
      select m.id, m.author_id, u.name, o.name as org, m.text, m.created_at from share_comments m join users u on u.id = m.author_id
      left join organisations o on o.id = u.home_organisation_id where m.share_id = ${shareId} order by m.created_at, m.id`);
    return r.rows.map((c) => ({ id: c.id, author: { id: c.author_id, name: c.name, organisation: c.org }, text: c.text, createdAt: iso(c.created_at) }));
  }

  /** The share, if the actor may manage it (its record's owner side). */
  async function managed(ex: Executor, a: Access, id: string, lock = false) {
    const [s] = await rows(ex, sql`s.id = ${id}`);
    if (!s) throw new AppError('SHARE_NOT_FOUND');
    const [shown] = await present(ex, a, [s]);
    if (!shown) throw new AppError('SHARE_NOT_FOUND');
    if (lock) await ex.execute(sql`select id from shares where id = ${id} for update`);
    return shown;
  }

  /** The share, if it is active and with one of the actor's partner organisations; SHARE_ENDED if it was theirs but has ended. */
  async function partnerShare(ex: Executor, a: Access, id: string) {
    const r = await ex.execute<{ id: string; active: boolean; record_type: ShareRecordType; record_id: string; reason: string; ends_on: string; by: string; created_at: Date | string }>(sql`
      select s.id, ${activeShareSql(a)} as active, s.record_type, s.record_id, s.reason, s.ends_on::text as ends_on, u.name as by, s.created_at
      from shares s join users u on u.id = s.created_by where s.id = ${id} and s.partner_organisation_id = any(${sql.param(a.scope('shares.view'))}::uuid[])`);
    const s = r.rows[0];
    if (!s) throw new AppError('SHARE_NOT_FOUND');
    if (!s.active) throw new AppError('SHARE_ENDED');
    return s;
  }

  /** A partner organisation (or a unit of one) that is active: the police, the rescue service, the armed forces, the region … One query up its chain. */
  async function partnerOrg(ex: Executor, id: string) {
    const chain = await ex.execute<{ type: string; active: boolean; depth: number }>(sql`
      with recursive up(id, parent_id, type, active, depth) as (select id, parent_id, type, active, 0 from organisations where id = ${id}
        union all select o.id, o.parent_id, o.type, o.active, up.depth + 1 from organisations o join up on o.id = up.parent_id where up.depth < 50)
      select type, active, depth from up order by depth`);
    if (!chain.rows[0]?.active || !chain.rows.some((c) => c.type === 'partner'))
      throw new AppError('SHARE_PARTNER_INVALID', [{ path: 'partnerOrganisationId', message: 'SHARE_PARTNER_INVALID' }]);
  }

  return {
    async create(ctx: RequestContext, actor: Actor, input: CreateShare): Promise<ShareT> {
      return db.transaction(async (tx) => {
        const a = accessOf(actor, await loadOrgTree(tx));
        const t = SHARE_TYPES[input.recordType];
        const rec = await findOne(tx, a, input.recordType, input.recordId);
        if (!rec || !mayManage(a, t, rec.owners)) throw new AppError('SHARE_RECORD_NOT_FOUND', [{ path: 'recordId', message: 'SHARE_RECORD_NOT_FOUND' }]);
        await partnerOrg(tx, input.partnerOrganisationId);
        if (input.endsOn < a.today) throw new AppError('SHARE_END_IN_PAST', [{ path: 'endsOn', message: 'SHARE_END_IN_PAST' }]);
        const [row] = await tx
          .insert(shares)
          .values({ recordType: input.recordType, recordId: input.recordId, partnerOrganisationId: input.partnerOrganisationId, reason: input.reason, endsOn: input.endsOn, createdBy: actor.id })
          .returning();
        await recordAudit(tx, ctx, { entityType: 'share', entityId: row.id, action: 'create', after: row });
        return managed(tx, a, row.id);
      });
    },

    async revoke(ctx: RequestContext, actor: Actor, id: string, input: { reason: string; version: number }): Promise<ShareT> {
      return db.transaction(async (tx) => {
        const a = accessOf(actor, await loadOrgTree(tx));
        const before = await managed(tx, a, id, true);
        if (before.revokedAt) throw new AppError('SHARE_ALREADY_REVOKED');
        if (before.version !== input.version) throw new AppError('VERSION_CONFLICT');
        await tx.execute(sql`update shares set revoked_at = now(), revoked_by = ${actor.id}, revoke_reason = ${input.reason}, version = version + 1 where id = ${id}`);
        const after = await managed(tx, a, id);
        await recordAudit(tx, ctx, { entityType: 'share', entityId: id, action: 'revoke', before, after });
        return after;
      });
    },

    /** Shares as the owner side sees them: of one record, with one partner, or all. */
    async list(actor: Actor, q: { recordType?: ShareRecordType; recordId?: string; partnerOrganisationId?: string; status?: ShareT['status'] }) {
      const a = accessOf(actor, await loadOrgTree(db));
      const where: SQL[] = [sql`true`];
      if (q.recordType) where.push(sql`s.record_type = ${q.recordType}`);
      if (q.recordId) where.push(sql`s.record_id = ${q.recordId}`);
      if (q.partnerOrganisationId) where.push(sql`s.partner_organisation_id = ${q.partnerOrganisationId}`);
      const items = await present(db, a, await rows(db, sql.join(where, sql` and `)));
      return { items: q.status ? items.filter((s) => s.status === q.status) : items };
    },

    async comments(actor: Actor, id: string) {
      const a = accessOf(actor, await loadOrgTree(db));
      await managed(db, a, id);
      return { items: await comments(db, id) };
    },

    /** What is shared with the actor's partner organisations now. */
    async sharedWithMe(actor: Actor) {
      const a = accessOf(actor, await loadOrgTree(db));
      const r = await db.execute<{ id: string; record_type: ShareRecordType; record_id: string; partner: string; ends_on: string; by: string; reason: string }>(sql`
        select s.id, s.record_type, s.record_id, o.name as partner, s.ends_on::text as ends_on, u.name as by, s.reason
        from shares s join organisations o on o.id = s.partner_organisation_id join users u on u.id = s.created_by
        where ${activeShareSql(a)} order by s.ends_on, s.created_at`);
      const items = [];
      for (const s of r.rows) {
        const title = await shareViews[s.record_type].title(db, s.record_id);
        items.push({ id: s.id, recordType: s.record_type, title: title ?? '', partnerOrganisation: s.partner, endsOn: s.ends_on, sharedBy: s.by, reason: s.reason });
      }
      return { items };
    },

    /** The partner's view of one shared record; logged as a read. */
    async view(ctx: RequestContext, actor: Actor, id: string): Promise<SharedRecordT> {
      const a = accessOf(actor, await loadOrgTree(db));
      const s = await partnerShare(db, a, id);
      const view = await shareViews[s.record_type].view(db, s.record_id);
      if (!view) throw new AppError('SHARE_NOT_FOUND');
      await logSecretReads(db, ctx, [{ type: s.record_type, id: s.record_id, how: 'shared-view', detail: { shareId: s.id } }]);
      return {
        share: { id: s.id, recordType: s.record_type, reason: s.reason, endsOn: s.ends_on, sharedBy: s.by, sharedAt: iso(s.created_at) },
        ...view,
        comments: await comments(db, s.id),
      };
    },

    /** A comment by the partner on an active share (`partner`), or by the owner side on any of its shares (`owner`). */
    async comment(ctx: RequestContext, actor: Actor, id: string, text: string, side: 'partner' | 'owner') {
      return db.transaction(async (tx) => {
        const a = accessOf(actor, await loadOrgTree(tx));
        if (side === 'partner') await partnerShare(tx, a, id);
        else await managed(tx, a, id);
        const [row] = await tx.insert(shareComments).values({ shareId: id, authorId: actor.id, text }).returning();
        await recordAudit(tx, ctx, { entityType: 'share', entityId: id, action: 'comment', after: row });
        return { items: await comments(tx, id) };
      });
    },
  };
}
export type ShareService = ReturnType<typeof createShareService>;
