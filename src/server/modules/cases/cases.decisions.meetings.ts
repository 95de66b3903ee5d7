import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Executor } from '../../db/client.ts';
import { recordAudit, type RequestContext } from '../../lib/audit.ts';
import { loadOrgTree } from '../../lib/context.ts';
import { AppError } from '../../lib/errors.ts';
import { canSomewhere, type Actor } from '../../lib/policies.ts';
import { accessOf, caseVisibleSql, mayManageMeeting } from '../../access/index.ts';
import type { createMeeting, meetingQuery } from '../../../shared/schemas/decisions.ts';
import type { addMeetingItem, MeetingDetail, setAdjusters, setAttendees, updateMeeting } from '../../../shared/schemas/meetings.ts';
import { meetingProcessRepo as mp, meetingsRepo as repo } from './cases.meetings.repo.ts';
import { noticeOut, requireBody, type DecisionPartDeps } from './cases.decisions.shared.ts';
import { visibleCaseOf } from './cases.core.ts';


/**
 * Meetings and their notice and agenda (kallelse, föredragningslista): a deciding body's meeting dates, the
 * cases put on a meeting, the attendance, and the chair and adjusters appointed to adjust the minutes. The
 * minutes' own steps (reservations, adjustment, the notice board) are cases.decisions.minutes.ts. Managing
 * a meeting takes cases.handle (the route's policy); reading it, cases.read somewhere or being one of its
 * adjusters. The agenda and the §§ show only cases the reader may see (the access core's case rule); an
 * adjuster also sees the §§ of cases that are not secret, to adjust them.
 */
export function createMeetingsPart({ db, today }: DecisionPartDeps) {
  /** The meeting, if the actor may read it (else MEETING_NOT_FOUND), and whether the actor adjusts it. */
  async function readable(ex: Executor, actor: Actor, id: string, lock = false) {
    const m = await mp.meeting(ex, id, lock);
    if (!m) throw new AppError('MEETING_NOT_FOUND');
    const adjusters = await mp.signatures(ex, id);
    const isAdjuster = adjusters.some((a) => a.user_id === actor.id);
    if (!isAdjuster && !canSomewhere(actor, 'cases.read')) throw new AppError('MEETING_NOT_FOUND');
    return { m, adjusters, isAdjuster };
  }

  /** The meeting for a change by a handler: locked, its version raised, refused once the minutes are adjusted when `open`. */
  async function managed(ex: Executor, actor: Actor, id: string, version: number | null, open = true) {
    const found = await readable(ex, actor, id, true);
    if (!mayManageMeeting(accessOf(actor, await loadOrgTree(ex)), found.m.body_organisation_id)) throw new AppError('FORBIDDEN');
    if (open && found.m.adjusted_on) throw new AppError('MINUTES_ADJUSTED');
    if (version !== null && !(await mp.bump(ex, id, version))) throw new AppError('VERSION_CONFLICT');
    return found;
  }

  async function detail(ex: Executor, actor: Actor, id: string): Promise<MeetingDetail> {
    const tree = await loadOrgTree(ex);
    const { m, adjusters, isAdjuster } = await readable(ex, actor, id);
    const v = accessOf(actor, tree);
    const visible = isAdjuster ? sql`(${caseVisibleSql(v)} or c.secrecy_ref is null)` : caseVisibleSql(v);
    const items = await mp.items(ex, id, visible);
    const paragraphs = await mp.paragraphs(ex, id, visible);
    const reservations = await mp.reservations(ex, paragraphs.map((p) => p.id));
    const notices = await mp.notices(ex, id);
    const now = today();
    const minutesNotice = notices.find((n) => !n.decision_id);
    const people = new Map<string, { userId: string; name: string; role: 'chair' | 'adjuster' }>();
    for (const a of adjusters) people.set(a.user_id, { userId: a.user_id, name: a.name, role: a.role });
    const signedOn = (userId: string, decisionId: string | null) => adjusters.find((a) => a.user_id === userId && a.decision_id === decisionId)?.signed_on ?? null;
    return {
      id: m.id,
      bodyOrganisationId: m.body_organisation_id,
      bodyName: m.body_name,
      bodyShortName: m.body_short,
      meetingDate: m.meeting_date,
      title: m.title,
      startsAt: m.starts_at,
      location: m.location,
      minutesKeptAt: m.minutes_kept_at,
      adjustedOn: m.adjusted_on,
      exampleNote: m.example_note,
      version: m.version,
      items: items.filter((i) => i.visible).map((i) => ({ id: i.id, ordinal: i.ordinal, caseId: i.case_id, registryNumber: i.registry_number, caseTitle: i.case_title, decisionId: i.decision_id, decisionTitle: i.decision_title })),
      hiddenItems: items.filter((i) => !i.visible).length,
      attendees: (await mp.attendees(ex, id)).map((a) => ({ name: a.name, role: a.role as MeetingDetail['attendees'][number]['role'], party: a.party, present: a.present })),
      adjusters: [...people.values()].map((p) => ({ ...p, signedOn: signedOn(p.userId, null) })),
      paragraphs: paragraphs.map((p) => {
        const own = notices.find((n) => n.decision_id === p.id);
        const n = own ?? (p.immediate_adjustment ? undefined : minutesNotice);
        return {
          decisionId: p.id,
          paragraph: p.paragraph,
          title: p.title,
          kind: p.kind,
          caseId: p.case_id,
          registryNumber: p.registry_number,
          immediateAdjustment: p.immediate_adjustment,
          adjustedOn: p.adjusted_on,
          reservations: reservations.filter((r) => r.decisionId === p.id).map((r) => ({ id: r.id, name: r.name, party: r.party, written: r.written })),
          signatures: p.immediate_adjustment ? [...people.values()].map((x) => ({ ...x, signedOn: signedOn(x.userId, p.id) })) : [],
          notice: n ? noticeOut(n, now) : null,
        };
      }),
      notice: minutesNotice ? noticeOut(minutesNotice, now) : null,
      mayManage: mayManageMeeting(v, m.body_organisation_id),
      isAdjuster,
    };
  }

  return {
    async listMeetings(q: z.infer<typeof meetingQuery>) {
      const rows = await repo.list(db, q);
      return {
        items: rows.map((m) => ({ id: m.id, bodyOrganisationId: m.body_organisation_id, bodyName: m.body_name, meetingDate: m.meeting_date, title: m.title, version: m.version, adjustedOn: m.adjusted_on })),
      };
    },

    async createMeeting(ctx: RequestContext, actor: Actor, input: z.infer<typeof createMeeting>) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const body = await requireBody(tx, tree, input.bodyOrganisationId, 'bodyOrganisationId');
        if (!mayManageMeeting(accessOf(actor, tree), input.bodyOrganisationId)) throw new AppError('FORBIDDEN');
        const exists = await repo.find(tx, input.bodyOrganisationId, input.meetingDate);
        if (exists) throw new AppError('ALREADY_EXISTS', [{ path: 'meetingDate', message: 'ALREADY_EXISTS' }]);
        const row = await repo.insert(tx, { bodyOrganisationId: input.bodyOrganisationId, meetingDate: input.meetingDate, title: input.title ?? null });
        await recordAudit(tx, ctx, { entityType: 'meeting', entityId: row.id, action: 'create', after: row });
        return { id: row.id, bodyOrganisationId: row.bodyOrganisationId, bodyName: body.name, meetingDate: row.meetingDate, title: row.title, version: row.version, adjustedOn: null };
      });
    },

    async getMeeting(actor: Actor, id: string) {
      return detail(db, actor, id);
    },

    /** The notice's facts: time, place, title, where the minutes are kept. */
    async updateMeeting(ctx: RequestContext, actor: Actor, id: string, input: z.infer<typeof updateMeeting>) {
      return db.transaction(async (tx) => {
        const { m: before } = await managed(tx, actor, id, input.version, false);
        await mp.update(tx, id, {
          ...(input.title !== undefined ? { title: input.title } : {}),
          ...(input.startsAt !== undefined ? { startsAt: input.startsAt } : {}),
          ...(input.location !== undefined ? { location: input.location } : {}),
          ...(input.minutesKeptAt !== undefined ? { minutesKeptAt: input.minutesKeptAt } : {}),
        });
        const out = await detail(tx, actor, id);
        await recordAudit(tx, ctx, { entityType: 'meeting', entityId: id, action: 'update', before, after: { title: out.title, startsAt: out.startsAt, location: out.location, minutesKeptAt: out.minutesKeptAt } });
        return out;
      });
    },

    /** Puts a case (and the draft decision of the meeting's body it takes up) on the agenda. */
    async addItem(ctx: RequestContext, actor: Actor, id: string, input: z.infer<typeof addMeetingItem>) {
      return db.transaction(async (tx) => {
        const { m } = await managed(tx, actor, id, null);
        const tree = await loadOrgTree(tx);
        await visibleCaseOf(tx, actor, tree, input.caseId);
        if (input.decisionId) {
          const d = await tx.execute<{ case_id: string; body_organisation_id: string }>(sql`select case_id, body_organisation_id from decisions where id = ${input.decisionId}`);
          const row = d.rows[0];
          if (!row || row.case_id !== input.caseId || row.body_organisation_id !== m.body_organisation_id)
            throw new AppError('VALIDATION_FAILED', [{ path: 'decisionId', message: 'MEETING_ITEM_DECISION_INVALID' }]);
        }
        const itemId = await mp.addItem(tx, id, input.caseId, input.decisionId ?? null, actor.id);
        if (!itemId) throw new AppError('MEETING_ITEM_EXISTS');
        await recordAudit(tx, ctx, { entityType: 'meeting', entityId: id, action: 'agenda_add', after: { itemId, caseId: input.caseId, decisionId: input.decisionId ?? null } });
        return detail(tx, actor, id);
      });
    },

    async removeItem(ctx: RequestContext, actor: Actor, id: string, itemId: string) {
      return db.transaction(async (tx) => {
        await managed(tx, actor, id, null);
        if (!(await mp.removeItem(tx, id, itemId))) throw new AppError('MEETING_ITEM_NOT_FOUND');
        await recordAudit(tx, ctx, { entityType: 'meeting', entityId: id, action: 'agenda_remove', before: { itemId } });
        return detail(tx, actor, id);
      });
    },

    /** Replaces the attendance list (närvaro) of the minutes. */
    async setAttendees(ctx: RequestContext, actor: Actor, id: string, input: z.infer<typeof setAttendees>) {
      return db.transaction(async (tx) => {
        await managed(tx, actor, id, input.version);
        const before = await mp.attendees(tx, id);
        await mp.setAttendees(tx, id, input.attendees.map((a) => ({ name: a.name, role: a.role, party: a.party ?? null, present: a.present })));
        await recordAudit(tx, ctx, { entityType: 'meeting', entityId: id, action: 'attendance', before, after: input.attendees });
        return detail(tx, actor, id);
      });
    },

    /** Appoints the chair and the adjusters (users), before anyone has signed. */
    async setAdjusters(ctx: RequestContext, actor: Actor, id: string, input: z.infer<typeof setAdjusters>) {
      return db.transaction(async (tx) => {
        await managed(tx, actor, id, input.version);
        if (await mp.hasSignatures(tx, id)) throw new AppError('ADJUSTMENT_STARTED');
        const others = [...new Set(input.adjusterUserIds)].filter((u) => u !== input.chairUserId);
        const wanted = [input.chairUserId, ...others];
        const found = await tx.execute<{ id: string }>(sql`select id from users where active and id = any(${sql`${`{${wanted.join(',')}}`}::uuid[]`})`);
        const ok = new Set(found.rows.map((r) => r.id));
        wanted.forEach((u, i) => {
          if (!ok.has(u)) throw new AppError('VALIDATION_FAILED', [{ path: i === 0 ? 'chairUserId' : `adjusterUserIds.${i - 1}`, message: 'USER_NOT_FOUND' }]);
        });
        if (!others.length) throw new AppError('VALIDATION_FAILED', [{ path: 'adjusterUserIds', message: 'ADJUSTERS_MISSING' }]);
        await mp.setAdjusters(tx, id, [{ userId: input.chairUserId, role: 'chair' }, ...others.map((u) => ({ userId: u, role: 'adjuster' as const }))]);
        await recordAudit(tx, ctx, { entityType: 'meeting', entityId: id, action: 'adjusters', after: { chair: input.chairUserId, adjusters: others } });
        return detail(tx, actor, id);
      });
    },

    /** Active users by name, to appoint as chair and adjusters. */
    async userOptions() {
      const res = await db.execute<{ id: string; name: string }>(sql`select id, name from users where active order by name limit 1000`);
      return { items: res.rows };
    },

    meetingDetail: detail,
    readableMeeting: readable,
    managedMeeting: managed,
  };
}
