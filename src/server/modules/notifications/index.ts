import type { ModuleFactory } from '../../lib/module.ts';
import { notificationServerMessages } from './notifications.messages.ts';
import { notificationRoutes } from './notifications.routes.ts';
import { createNotificationService } from './notifications.service.ts';

export { notifyReportReturned } from './notifications.service.ts';

/**
 * Notifications (issue #11 item 8): the in-app list of what needs the person (derived from the agenda's
 * sources through the access core, plus stored events such as a returned follow-up report), the e-mail
 * preferences, and the personal calendar feed behind a secret, revocable address.
 */
export const notificationsModule: ModuleFactory = ({ db, config }) => ({
  name: 'notifications',
  routes: (app) => notificationRoutes(app, { notifications: createNotificationService({ db }), publicUrl: config.PUBLIC_URL }),
  messages: notificationServerMessages,
});
