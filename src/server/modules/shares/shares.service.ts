import { sql, type SQL } from 'drizzle-orm';
import type { Db, Executor } from '../../db/client.ts';
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
import { shareViews } from './shares.views.ts';

/**
 * Partner sharing: a coordinator shares one record with a partner organisation until an end date, with a
 * reason. The partner's users read it only through its share — a fixed projection of the record (shares.views.ts)
 * — and only while the share is active, decided when reading; every view is in the read log. Revoking ends
 * access at once. Owners see the shares of each record and every share with a partner.
 */

interface ShareType {
  /** The record, if the actor may see it: its owning organisations and what it is called. */
  find(ex: Executor, a: Access, id: string): Promise<{ owners: string[]; title: string } | undefined>;
  /** The shares.manage right is needed on one of the owners ('root': on the municipality). */
  onRoot?: boolean;
}

const one = async <T>(ex: Executor, q: SQL) => (await ex.execute<T & Record<string, unknown>>(q)).rows[0];

const SHARE_TYPES: Record<ShareRecordType, ShareType> = {
  incident: {
    async find(ex, a, id) {
      const r = await one<{ org: string; title: string }>(ex, sql`
        select i.organisation_id as org, k.name || ' ' || to_char(i.occurred_at at time zone 'Europe/Stockholm', 'YYYY-MM-DD HH24:MI') || coalesce(', ' || i.place, '') as title
        from incidents i join incident_categories k on k.id = i.category_id where i.id = ${id} and ${incidentVisibleSql(a)}`);
      return r && { owners: [r.org], title: r.title };
    },
  },
  case: {
    async find(ex, a, id) {
      const r = await one<{ org: string; reg: string; title: string }>(ex, sql`
        select c.organisation_id as org, c.registry_organisation_id as reg, c.registry_number || ' ' || c.title as title from cases c where c.id = ${id} and ${caseVisibleSql(a)}`);
      return r && { owners: [r.org, r.reg], title: r.title };
    },
  },
  record: {
    async find(ex, a, id) {
      const r = await one<{ org: string; reg: string; title: string }>(ex, sql`
        select c.organisation_id as org, c.registry_organisation_id as reg, c.registry_number || '-' || r.seq || ' ' || r.title as title
        from case_records r join cases c on c.id = r.case_id where r.id = ${id} and ${recordVisibleSql(a)}`);
      return r && { owners: [r.org, r.reg], title: r.title };
    },
  },
  lagesbild_report: {
    onRoot: true,
    async find(ex, a, id) {
      const r = await one<{ title: string }>(ex, sql`select l.title from lagesbild_reports l where l.id = ${id} and ${lagesbildReportVisibleSql(a)}`);
      return r && { owners: [], title: r.title };
    },
  },
  action: {
    async find(ex, a, id) {
      const r = await one<{ org: string; owner: string; title: string }>(ex, sql`
        select a.responsible_organisation_id as org, p.owner_organisation_id as owner, a.title
        from plan_actions a join goals g on g.id = a.goal_id join focus_areas f on f.id = g.focus_area_id join programs p on p.id = f.program_id
        where a.id = ${id} and ${actionVisibleSql(a)}`);
      return r && { owners: [r.org, r.owner], title: r.title };
    },
  },
};

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

  /** Shares as their owners see them: only shares of records the actor may see and share. */
  async function present(ex: Executor, a: Access, list: ShareRow[]): Promise<ShareT[]> {
    const out: ShareT[] = [];
    for (const s of list) {
      const t = SHARE_TYPES[s.record_type];
      const rec = await t.find(ex, a, s.record_id);
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

  async function partnerOrg(ex: Executor, id: string) {
    const r = await one<{ type: string; active: boolean }>(ex, sql`select type, active from organisations where id = ${id}`);
    // Partners (and their units) only: the police, the rescue service, the armed forces, the region …
    const chain = await ex.execute<{ type: string }>(sql`
      with recursive up(id, parent_id, type) as (select id, parent_id, type from organisations where id = ${id}
        union all select o.id, o.parent_id, o.type from organisations o join up on o.id = up.parent_id)
      select type from up`);
    if (!r || !r.active || !chain.rows.some((c) => c.type === 'partner')) throw new AppError('SHARE_PARTNER_INVALID', [{ path: 'partnerOrganisationId', message: 'SHARE_PARTNER_INVALID' }]);
  }

  return {
    async create(ctx: RequestContext, actor: Actor, input: CreateShare): Promise<ShareT> {
      return db.transaction(async (tx) => {
        const a = accessOf(actor, await loadOrgTree(tx));
        const t = SHARE_TYPES[input.recordType];
        const rec = await t.find(tx, a, input.recordId);
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

    /** Shares that end within `days` days and have not been announced: for the coordinator's reminder job. */
    async expiring(ex: Executor, today: string, days: number) {
      const r = await ex.execute<{ id: string; created_by: string; email: string; name: string; ends_on: string; partner: string; record_type: ShareRecordType; record_id: string }>(sql`
        select s.id, s.created_by, u.email, u.name, s.ends_on::text as ends_on, o.name as partner, s.record_type, s.record_id
        from shares s join users u on u.id = s.created_by join organisations o on o.id = s.partner_organisation_id
        where s.revoked_at is null and s.expiry_notice_on is null and s.ends_on >= ${today}::date and s.ends_on <= ${today}::date + ${days}::int`);
      return r.rows;
    },
  };
}
export type ShareService = ReturnType<typeof createShareService>;
