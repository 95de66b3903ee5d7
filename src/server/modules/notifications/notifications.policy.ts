import type { Policy } from '../../lib/policies.ts';

/**
 * Notifications are every signed-in person's own: the routes ask only for a session, the list inside is
 * filtered by the access core (src/server/access). The calendar feed is fetched without a session (calendar
 * programs cannot sign in): its secret token names the user, whose access is evaluated at each request.
 */
export const notificationPolicies = {
  mine: { authenticated: true },
  calendarFeed: { public: true },
} as const satisfies Record<string, Policy>;
