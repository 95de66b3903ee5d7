import type { z } from 'zod';
import { recordAudit, type RequestContext } from '../../lib/audit.ts';
import { loadOrgTree } from '../../lib/context.ts';
import { AppError } from '../../lib/errors.ts';
import type { Actor } from '../../lib/policies.ts';
import type { createMeeting, meetingQuery } from '../../../shared/schemas/decisions.ts';
import { meetingsRepo as repo } from './cases.meetings.repo.ts';
import { requireBody, type DecisionPartDeps } from './cases.decisions.shared.ts';

/** Meetings: a deciding body's meeting dates (the agenda's frame; marking a decision decided records its meeting). */
export function createMeetingsPart({ db }: DecisionPartDeps) {
  return {
    async listMeetings(q: z.infer<typeof meetingQuery>) {
      const rows = await repo.list(db, q);
      return {
        items: rows.map((m) => ({ id: m.id, bodyOrganisationId: m.body_organisation_id, bodyName: m.body_name, meetingDate: m.meeting_date, title: m.title, version: m.version })),
      };
    },

    async createMeeting(ctx: RequestContext, actor: Actor, input: z.infer<typeof createMeeting>) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const body = await requireBody(tx, tree, input.bodyOrganisationId, 'bodyOrganisationId');
        const exists = await repo.find(tx, input.bodyOrganisationId, input.meetingDate);
        if (exists) throw new AppError('ALREADY_EXISTS', [{ path: 'meetingDate', message: 'ALREADY_EXISTS' }]);
        const row = await repo.insert(tx, { bodyOrganisationId: input.bodyOrganisationId, meetingDate: input.meetingDate, title: input.title ?? null });
        await recordAudit(tx, ctx, { entityType: 'meeting', entityId: row.id, action: 'create', after: row });
        void actor;
        return { id: row.id, bodyOrganisationId: row.bodyOrganisationId, bodyName: body.name, meetingDate: row.meetingDate, title: row.title, version: row.version };
      });
    },
  };
}
