import { z } from 'zod';
import {
  calendarTokenCreated,
  calendarTokenState,
  notificationList,
  notificationSettingsView,
  type notificationSettings,
} from '../../../shared/schemas/notifications.ts';
import { api } from '../../api/client.ts';

export type { Notification, NotificationList } from '../../../shared/schemas/notifications.ts';
export type NotificationSettingsInput = z.input<typeof notificationSettings>;
export type CalendarTokenCreated = z.infer<typeof calendarTokenCreated>;
const done = z.object({ ok: z.literal(true) });

/** The signed-in person's notifications, e-mail preferences and calendar address (issue #11 item 8). */
export const notificationsApi = {
  list: () => api.get('/api/me/notifications', notificationList),
  markRead: (id: string) => api.post(`/api/me/notifications/${encodeURIComponent(id)}/read`, done),
  markAllRead: () => api.post('/api/me/notifications/read-all', done),
  settings: () => api.get('/api/me/notification-settings', notificationSettingsView),
  saveSettings: (body: NotificationSettingsInput) => api.put('/api/me/notification-settings', notificationSettingsView, body),
  calendar: () => api.get('/api/me/calendar-token', calendarTokenState),
  createCalendar: () => api.post('/api/me/calendar-token', calendarTokenCreated),
  revokeCalendar: () => api.delete('/api/me/calendar-token', done),
};
