import { z } from 'zod';

/**
 * Notifications (issue #11 item 8): what needs the signed-in person, each read or unread; which kinds are
 * also e-mailed; the personal calendar feed's secret address. Dates are Swedish calendar dates.
 */
export const NOTIFICATION_KINDS = ['assignment', 'deadline', 'report_returned', 'reminder', 'overdue'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
/** Kinds that can be e-mailed: events that happen once (derived kinds have their own reminder mails). */
export const EMAIL_KINDS = ['report_returned'] as const;
export const NOTIFICATION_EMAIL_DEFAULTS: readonly NotificationKind[] = ['report_returned'];

/** What a notification is about: the web links to it. */
export const NOTIFICATION_SUBJECTS = ['follow_up_report', 'incident_task', 'work_environment_report', 'remiss', 'assignment', 'governing_document'] as const;

export const notification = z.object({
  /** A stored event's uuid, or "<source>:<uuid>" for one derived from the agenda. */
  id: z.string(),
  kind: z.enum(NOTIFICATION_KINDS),
  subject: z.enum(NOTIFICATION_SUBJECTS),
  /** The record to open: the report, the incident, the case or the document. */
  recordId: z.string(),
  title: z.string(),
  detail: z.string(),
  /** The deadline or due date, if any. */
  dueOn: z.string().nullable(),
  /** When it happened (stored events). */
  at: z.string().nullable(),
  read: z.boolean(),
});
export type Notification = z.infer<typeof notification>;

export const notificationList = z.object({ today: z.string(), unread: z.number().int(), items: z.array(notification) });
export type NotificationList = z.infer<typeof notificationList>;

export const notificationIdParams = z.object({ id: z.string().max(100).regex(/^(?:[a-z_]+:)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/) });

export const notificationSettings = z.object({
  emailKinds: z.array(z.enum(EMAIL_KINDS)).max(EMAIL_KINDS.length),
});
export type NotificationSettings = z.infer<typeof notificationSettings>;
export const notificationSettingsView = notificationSettings.extend({ available: z.array(z.enum(EMAIL_KINDS)) });

export const calendarTokenState = z.object({ active: z.boolean(), createdAt: z.string().nullable() });
export const calendarTokenCreated = z.object({ token: z.string(), url: z.string(), createdAt: z.string() });
/** A bad token is the same as an unknown one: the service answers 404 (CALENDAR_NOT_FOUND), so nothing is told apart. */
export const calendarParams = z.object({ token: z.string().max(200) });
