import { eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Executor } from '../../db/client.ts';
import { decisionReservations, decisions, meetings } from '../../db/schema/index.ts';
import { recordAudit, type RequestContext } from '../../lib/audit.ts';
import { loadOrgTree } from '../../lib/context.ts';
import { AppError } from '../../lib/errors.ts';
import type { Actor } from '../../lib/policies.ts';
import { appealEndsOn } from '../../../shared/appeal.ts';
import type { addReservation, adjust, postNotice } from '../../../shared/schemas/meetings.ts';
import { createMeetingsPart } from './cases.decisions.meetings.ts';
import { visibleDecision, type DecisionPartDeps } from './cases.decisions.shared.ts';
import { meetingProcessRepo as mp } from './cases.meetings.repo.ts';
import { decisionsRepo } from './cases.decisions.repo.ts';
import { agendaModel, minutesModel } from './cases.meetings.documents.ts';
import { renderPdf } from '../../lib/documents/pdf.ts';

const range = (first: number | null, last: number | null) => (first === null ? '' : first === last ? `§ ${first}` : `§ ${first}–${last}`);

/**
 * The minutes' own steps: reservations against a §, immediate adjustment of a §, adjustment (justering)
 * by the chair and every appointed adjuster, each with their own account (anyone else: 403, nothing
 * changed), and the notice of adjusted minutes on the public notice board (anslag) with the last day of the
 * three-week appeal period (src/shared/appeal.ts). Once adjusted, a § may be dispatched (cases.dispatch.ts).
 */
export function createMinutesPart(deps: DecisionPartDeps) {
  const { db, today } = deps;
  const meetingsPart = createMeetingsPart(deps);

  /** A decided § of a meeting whose minutes are still open, in a case the actor handles. */
  async function openParagraph(ex: Executor, actor: Actor, decisionId: string) {
    const tree = await loadOrgTree(ex);
    const { decision: d } = await visibleDecision(ex, actor, tree, decisionId, true);
    if (!d.meetingId) throw new AppError('DECISION_NOT_IN_MEETING');
    // The minutes are the meeting's: its secretary (mayManageMeeting) records reservations and immediate adjustment.
    await meetingsPart.managedMeeting(ex, actor, d.meetingId, null, false);
    if (d.status !== 'decided') throw new AppError('DECISION_NOT_DECIDED');
    const m = await mp.meeting(ex, d.meetingId);
    if (m?.adjusted_on || d.adjustedOn) throw new AppError('MINUTES_ADJUSTED');
    return d;
  }

  return {
    async addReservation(ctx: RequestContext, actor: Actor, decisionId: string, input: z.infer<typeof addReservation>) {
      return db.transaction(async (tx) => {
        const d = await openParagraph(tx, actor, decisionId);
        const [row] = await tx.insert(decisionReservations).values({ decisionId, name: input.name, party: input.party ?? null, written: input.written }).returning();
        await recordAudit(tx, ctx, { entityType: 'decision', entityId: decisionId, action: 'reservation_add', after: row });
        return meetingsPart.meetingDetail(tx, actor, d.meetingId!);
      });
    },

    async removeReservation(ctx: RequestContext, actor: Actor, decisionId: string, reservationId: string) {
      return db.transaction(async (tx) => {
        const d = await openParagraph(tx, actor, decisionId);
        const res = await tx.execute<{ id: string }>(sql`delete from decision_reservations where id = ${reservationId} and decision_id = ${decisionId} returning id`);
        if (!res.rows[0]) throw new AppError('RESERVATION_NOT_FOUND');
        await recordAudit(tx, ctx, { entityType: 'decision', entityId: decisionId, action: 'reservation_remove', before: { reservationId } });
        return meetingsPart.meetingDetail(tx, actor, d.meetingId!);
      });
    },

    /** The meeting decided (or undid) that this § is adjusted at once. */
    async setImmediate(ctx: RequestContext, actor: Actor, decisionId: string, immediate: boolean) {
      return db.transaction(async (tx) => {
        const d = await openParagraph(tx, actor, decisionId);
        const signed = await tx.execute<{ n: number }>(sql`select count(*)::int as n from meeting_signatures where decision_id = ${decisionId}`);
        if (signed.rows[0].n > 0) throw new AppError('ADJUSTMENT_STARTED');
        await tx.update(decisions).set({ immediateAdjustment: immediate, updatedAt: new Date() }).where(eq(decisions.id, decisionId));
        await recordAudit(tx, ctx, { entityType: 'decision', entityId: decisionId, action: 'immediate_adjustment', before: { immediate: d.immediateAdjustment }, after: { immediate } });
        return meetingsPart.meetingDetail(tx, actor, d.meetingId!);
      });
    },

    /**
     * The actor adjusts the minutes (or, with decisionId, a § to be adjusted at once) as chair or adjuster.
     * When the last of them has signed, the minutes (or the §) are adjusted on that day.
     */
    async adjust(ctx: RequestContext, actor: Actor, meetingId: string, input: z.infer<typeof adjust>) {
      return db.transaction(async (tx) => {
        const { m, adjusters, isAdjuster } = await meetingsPart.readableMeeting(tx, actor, meetingId, true);
        const people = [...new Set(adjusters.map((a) => a.user_id))];
        if (!adjusters.some((a) => a.role === 'chair') || people.length < 2) throw new AppError('ADJUSTERS_MISSING');
        if (!isAdjuster) throw new AppError('NOT_AN_ADJUSTER');
        if (m.adjusted_on) throw new AppError('MINUTES_ADJUSTED');
        const decisionId = input.decisionId ?? null;
        const paragraphs = await mp.allParagraphs(tx, meetingId);
        if (decisionId) {
          const row = (await tx.select().from(decisions).where(eq(decisions.id, decisionId)))[0];
          if (!row || row.meetingId !== meetingId || row.status !== 'decided') throw new AppError('DECISION_NOT_FOUND');
          if (!row.immediateAdjustment) throw new AppError('NOT_IMMEDIATE');
          if (row.adjustedOn) throw new AppError('MINUTES_ADJUSTED');
        } else if (!paragraphs.length) throw new AppError('NOTHING_TO_ADJUST');
        if (adjusters.some((a) => a.user_id === actor.id && a.decision_id === decisionId && a.signed_on)) throw new AppError('ALREADY_SIGNED');
        const on = today();
        await mp.sign(tx, { meetingId, decisionId, userId: actor.id, signedOn: on });
        const signedBy = new Set([...adjusters.filter((a) => a.decision_id === decisionId && a.signed_on).map((a) => a.user_id), actor.id]);
        const complete = people.every((u) => signedBy.has(u));
        if (complete && decisionId) await tx.update(decisions).set({ adjustedOn: on, updatedAt: new Date() }).where(eq(decisions.id, decisionId));
        if (complete && !decisionId) {
          await tx.update(meetings).set({ adjustedOn: on, updatedAt: new Date() }).where(eq(meetings.id, meetingId));
          await tx.execute(sql`update decisions set adjusted_on = ${on}, updated_at = now() where meeting_id = ${meetingId} and status = 'decided' and adjusted_on is null`);
        }
        await recordAudit(tx, ctx, { entityType: 'meeting', entityId: meetingId, action: decisionId ? 'adjust_paragraph' : 'adjust', after: { decisionId, signedOn: on, complete } });
        return meetingsPart.meetingDetail(tx, actor, meetingId);
      });
    },

    /** Posts the notice of the adjusted minutes (or §) on the public notice board; the appeal clock starts. */
    async postNotice(ctx: RequestContext, actor: Actor, meetingId: string, input: z.infer<typeof postNotice>) {
      return db.transaction(async (tx) => {
        const { m } = await meetingsPart.managedMeeting(tx, actor, meetingId, null, false);
        const decisionId = input.decisionId ?? null;
        let adjustedOn = m.adjusted_on;
        if (decisionId) {
          const row = (await tx.select().from(decisions).where(eq(decisions.id, decisionId)))[0];
          if (!row || row.meetingId !== meetingId || row.status !== 'decided') throw new AppError('DECISION_NOT_FOUND');
          if (!row.immediateAdjustment) throw new AppError('NOT_IMMEDIATE');
          adjustedOn = row.adjustedOn;
        }
        if (!adjustedOn) throw new AppError('MINUTES_NOT_ADJUSTED');
        const postedOn = input.postedOn ?? today();
        if (postedOn < adjustedOn || postedOn > today()) throw new AppError('NOTICE_DATE_INVALID', [{ path: 'postedOn', message: 'NOTICE_DATE_INVALID' }]);
        const row = await mp.insertNotice(tx, { meetingId, decisionId, postedOn, appealEndsOn: appealEndsOn(postedOn), postedBy: actor.id });
        if (!row) throw new AppError('NOTICE_ALREADY_POSTED');
        await recordAudit(tx, ctx, { entityType: 'meeting', entityId: meetingId, action: 'notice', after: row });
        return meetingsPart.meetingDetail(tx, actor, meetingId);
      });
    },

    /** The notice with its agenda (kallelse) or the minutes (protokoll) as PDF, as the reader may see the meeting. */
    async meetingPdf(actor: Actor, meetingId: string, kind: 'agenda' | 'minutes') {
      const m = await meetingsPart.meetingDetail(db, actor, meetingId);
      const root = await db.execute<{ name: string }>(sql`select name from organisations where type = 'municipality' order by created_at limit 1`);
      const municipality = root.rows[0]?.name ?? '';
      const rows = kind === 'minutes' ? await decisionsRepo.clauseRows(db, m.paragraphs.map((p) => p.decisionId)) : [];
      const clauses = new Map<string, { text: string; toBodyName: string | null }[]>();
      for (const k of rows) clauses.set(k.decision_id, [...(clauses.get(k.decision_id) ?? []), { text: k.text, toBodyName: k.to_body_name }]);
      const model = kind === 'agenda' ? agendaModel(m, municipality) : minutesModel(m, clauses, municipality);
      return { filename: `${kind === 'agenda' ? 'Kallelse' : 'Protokoll'} ${m.bodyShortName ?? m.bodyName} ${m.meetingDate}.pdf`, content: await renderPdf(model) };
    },

    /** The public notice board: notices whose appeal period runs today. Only body, dates and § numbers: no case text. */
    async noticeBoard() {
      const now = today();
      const rows = await mp.board(db, now);
      const root = await db.execute<{ name: string }>(sql`select name from organisations where type = 'municipality' order by created_at limit 1`);
      return {
        municipality: root.rows[0]?.name ?? '',
        today: now,
        items: rows.map((r) => ({
          id: r.id,
          bodyName: r.body_name,
          meetingDate: r.meeting_date,
          paragraphs: r.decision_id ? `§ ${r.paragraph}` : range(r.first, r.last),
          kind: (r.decision_id ? 'paragraph' : 'minutes') as 'paragraph' | 'minutes',
          adjustedOn: r.adjusted_on,
          postedOn: r.posted_on,
          appealEndsOn: r.appeal_ends_on,
          minutesKeptAt: r.minutes_kept_at,
          isExample: r.is_example,
        })),
      };
    },
  };
}
