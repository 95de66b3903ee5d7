import { localeOf } from '../../lib/i18n.ts';
import { z } from 'zod';
import {
  calendarParams,
  calendarTokenCreated,
  calendarTokenState,
  notificationIdParams,
  notificationList,
  notificationSettings,
  notificationSettingsView,
} from '../../../shared/schemas/notifications.ts';
import { requireActor } from '../../lib/context.ts';
import { errorResponses, type App } from '../../lib/http.ts';
import { notificationPolicies as policies } from './notifications.policy.ts';
import type { NotificationService } from './notifications.service.ts';

const tags = ['Aviseringar'];
const done = z.object({ ok: z.literal(true) });

export function notificationRoutes(app: App, { notifications, publicUrl }: { notifications: NotificationService; publicUrl: string }) {
  app.get(
    '/api/me/notifications',
    { config: { policy: policies.mine }, schema: { tags, summary: 'Mina aviseringar: uppdrag, tidsfrister, återsända rapporter, påminnelser och förseningar', response: { 200: notificationList, ...errorResponses } } },
    async (req) => notifications.list(requireActor(req), localeOf(req.headers['accept-language'], (req.actor as { locale?: string } | undefined)?.locale)),
  );
  app.post(
    '/api/me/notifications/read-all',
    { config: { policy: policies.mine }, schema: { tags, summary: 'Markera alla aviseringar som lästa', response: { 200: done, ...errorResponses } } },
    async (req) => (await notifications.markAllRead(requireActor(req)), { ok: true as const }),
  );
  app.post(
    '/api/me/notifications/:id/read',
    { config: { policy: policies.mine }, schema: { tags, summary: 'Markera en avisering som läst', params: notificationIdParams, response: { 200: done, ...errorResponses } } },
    async (req) => (await notifications.markRead(requireActor(req), req.params.id), { ok: true as const }),
  );
  app.get(
    '/api/me/notification-settings',
    { config: { policy: policies.mine }, schema: { tags, summary: 'Vilka aviseringar som också skickas med e-post', response: { 200: notificationSettingsView, ...errorResponses } } },
    async (req) => notifications.settings(requireActor(req)),
  );
  app.put(
    '/api/me/notification-settings',
    { config: { policy: policies.mine }, schema: { tags, summary: 'Välj vilka aviseringar som också skickas med e-post', body: notificationSettings, response: { 200: notificationSettingsView, ...errorResponses } } },
    async (req) => notifications.saveSettings(requireActor(req), req.body),
  );
  app.get(
    '/api/me/calendar-token',
    { config: { policy: policies.mine }, schema: { tags, summary: 'Finns en kalenderadress?', response: { 200: calendarTokenState, ...errorResponses } } },
    async (req) => notifications.calendarState(requireActor(req)),
  );
  app.post(
    '/api/me/calendar-token',
    { config: { policy: policies.mine }, schema: { tags, summary: 'Skapa en ny hemlig kalenderadress (en tidigare slutar gälla)', response: { 201: calendarTokenCreated, ...errorResponses } } },
    async (req, reply) => reply.code(201).send(await notifications.rotateCalendarToken(requireActor(req), publicUrl)),
  );
  app.delete(
    '/api/me/calendar-token',
    { config: { policy: policies.mine }, schema: { tags, summary: 'Återkalla kalenderadressen', response: { 200: done, ...errorResponses } } },
    async (req) => (await notifications.revokeCalendarToken(requireActor(req)), { ok: true as const }),
  );
  app.get(
    '/api/calendar/:token.ics',
    {
      config: { policy: policies.calendarFeed },
      schema: { tags, summary: 'Personligt kalenderflöde (iCalendar) med användarens tidsfrister; adressen är hemlig', params: calendarParams, response: { 200: z.any().describe('Kalenderflödet (text/calendar)'), ...errorResponses } },
    },
    async (req, reply) => {
      const body = await notifications.feed(req.params.token);
      return reply
        .header('content-type', 'text/calendar; charset=utf-8')
        .header('cache-control', 'private, no-store')
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'no-referrer')
        .send(Buffer.from(body, 'utf8'));
    },
  );
}
