import { z } from 'zod';
import { optionalText, text, uuid, version } from './common.ts';

/**
 * The meeting process (issue #11 item 1): notice and agenda, minutes with their paragraphs, attendance and
 * reservations, adjustment (also of one § at once), and the notice of adjusted minutes on the public
 * notice board with the end of the three-week appeal period.
 */

const isoDate = z.iso.date();
export const ATTENDEE_ROLES = ['chair', 'vice_chair', 'member', 'substitute_serving', 'substitute', 'official'] as const;
export const ADJUSTER_ROLES = ['chair', 'adjuster'] as const;

export const notice = z.object({
  postedOn: z.string(),
  /** The last day of the appeal period (laglighetsprövning): three weeks from posting, moved past holidays. */
  appealEndsOn: z.string(),
  /** Days left on the server's today (0: the last day; negative: the period has ended). */
  daysLeft: z.number().int(),
  isExample: z.boolean(),
});
export type Notice = z.infer<typeof notice>;

export const reservation = z.object({ id: uuid, name: z.string(), party: z.string().nullable(), written: z.boolean() });

const signature = z.object({ userId: uuid, name: z.string(), role: z.enum(ADJUSTER_ROLES), signedOn: z.string().nullable() });

export const meetingParagraph = z.object({
  decisionId: uuid,
  paragraph: z.number().int(),
  title: z.string(),
  kind: z.string(),
  caseId: uuid,
  registryNumber: z.string(),
  immediateAdjustment: z.boolean(),
  adjustedOn: z.string().nullable(),
  reservations: z.array(reservation),
  /** For a § adjusted at once: who has signed it. */
  signatures: z.array(signature),
  notice: notice.nullable(),
});

export const meetingItem = z.object({
  id: uuid,
  ordinal: z.number().int(),
  caseId: uuid,
  registryNumber: z.string(),
  caseTitle: z.string(),
  decisionId: uuid.nullable(),
  decisionTitle: z.string().nullable(),
});

export const attendee = z.object({ name: text(200), role: z.enum(ATTENDEE_ROLES), party: optionalText(100), present: z.boolean().default(true) });

export const meetingDetail = z.object({
  id: uuid,
  bodyOrganisationId: uuid,
  bodyName: z.string(),
  bodyShortName: z.string().nullable(),
  meetingDate: z.string(),
  title: z.string().nullable(),
  startsAt: z.string().nullable(),
  location: z.string().nullable(),
  minutesKeptAt: z.string().nullable(),
  adjustedOn: z.string().nullable(),
  /** What the source does not give and the demo made up about this meeting (example data). */
  exampleNote: z.string().nullable(),
  version: z.number().int(),
  /** The agenda (föredragningslista): the cases put on the meeting that the user may see. */
  items: z.array(meetingItem),
  /** Items in cases the user may not see (counted, not shown). */
  hiddenItems: z.number().int(),
  attendees: z.array(attendee.extend({ party: z.string().nullable(), present: z.boolean() })),
  /** The chair and the adjusters, with the day each signed the minutes. */
  adjusters: z.array(signature),
  paragraphs: z.array(meetingParagraph),
  notice: notice.nullable(),
  /** May manage the meeting (agenda, attendance, adjusters, notice): cases.handle. */
  mayManage: z.boolean(),
  /** The user is the chair or an adjuster of this meeting. */
  isAdjuster: z.boolean(),
});
export type MeetingDetail = z.infer<typeof meetingDetail>;

export const updateMeeting = z.object({
  version,
  title: optionalText(200),
  startsAt: optionalText(20),
  location: optionalText(200),
  minutesKeptAt: optionalText(200),
});
export const addMeetingItem = z.object({ caseId: uuid, decisionId: uuid.nullable().optional() });
export const meetingItemParams = z.object({ id: uuid, itemId: uuid });
export const setAttendees = z.object({ version, attendees: z.array(attendee).max(200) });
export const setAdjusters = z.object({ version, chairUserId: uuid, adjusterUserIds: z.array(uuid).min(1).max(5) });
export const adjust = z.object({ decisionId: uuid.nullable().optional() });
export const postNotice = z.object({ decisionId: uuid.nullable().optional(), postedOn: isoDate.optional() });
export const addReservation = z.object({ name: text(200), party: optionalText(100), written: z.boolean().default(false) });
export const reservationParams = z.object({ id: uuid, reservationId: uuid });
export const setImmediate = z.object({ immediate: z.boolean() });
export const userOptions = z.object({ items: z.array(z.object({ id: uuid, name: z.string() })) });

/** The public notice board (anslagstavla): notices of adjusted minutes, no sign-in, no case text. */
export const noticeBoard = z.object({
  municipality: z.string(),
  today: z.string(),
  items: z.array(
    z.object({
      id: uuid,
      bodyName: z.string(),
      meetingDate: z.string(),
      /** "§ 20–35" for the minutes, "§ 20" for one § adjusted at once. */
      paragraphs: z.string(),
      kind: z.enum(['minutes', 'paragraph']),
      adjustedOn: z.string(),
      postedOn: z.string(),
      appealEndsOn: z.string(),
      minutesKeptAt: z.string().nullable(),
      isExample: z.boolean(),
    }),
  ),
});
