import { z } from 'zod';
import { uuid } from './common.ts';

/**
 * The start page's agenda (issue #13 item 6): what needs the signed-in person now, for every role. Each
 * list holds only what the access core lets them see; dates are Swedish calendar dates ("YYYY-MM-DD").
 */
const date = z.string();

export const agenda = z.object({
  today: date,
  /** Follow-up reports of open rounds their organisations are to submit (followup.report). */
  reports: z.array(z.object({ id: uuid, roundId: uuid, roundName: z.string(), deadline: date, actionId: uuid, actionTitle: z.string(), organisationName: z.string(), state: z.string() })),
  /** Open tasks on incidents assigned to them. */
  incidentTasks: z.array(z.object({ id: uuid, incidentId: uuid, title: z.string(), dueDate: date, categoryName: z.string(), categoryKey: z.string().nullable() })),
  /** New incidents in the organisations they handle incidents for (incidents.manage), not yet taken up. */
  newIncidents: z.object({ count: z.number().int(), oldest: z.string().nullable() }),
  /** Remisses to their organisations still to be answered (cases.handle), open rounds only. */
  remisses: z.array(z.object({ recipientId: uuid, caseId: uuid, registryNumber: z.string(), title: z.string(), organisationName: z.string(), replyBy: date })),
  /** Open assignments (uppdrag) given to organisations whose cases they handle. */
  assignments: z.array(z.object({ id: uuid, caseId: uuid, registryNumber: z.string(), text: z.string(), organisationName: z.string(), dueDate: date.nullable() })),
  /** Governing documents in force they manage, due for review within 90 days (or overdue). */
  documentReviews: z.array(z.object({ id: uuid, title: z.string(), nextReviewOn: date })),
  /** For partners (shares.view, not shares.manage: not the sharing side): how many records are shared with them now, and whom to ask. */
  partner: z
    .object({
      activeShares: z.number().int(),
      nextEnding: date.nullable(),
      /** The municipality's security coordinators (coordinators on the municipality itself). */
      contacts: z.array(z.object({ name: z.string(), email: z.string() })),
      municipality: z.string(),
    })
    .nullable(),
});
export type Agenda = z.infer<typeof agenda>;
