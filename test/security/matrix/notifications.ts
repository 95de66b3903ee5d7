/** The notifications module's routes (issue #11 item 8): every signed-in person's own; the calendar feed is public behind its secret token. */
import { sql } from 'drizzle-orm';
import { all, ctx, signedIn, userIdOf, type MatrixTable } from '../matrix.ts';
import { hashToken, newToken } from '../../../src/server/modules/users/index.ts';

/** A fresh calendar token of the principal's own user (anonymous: the admin's), as the feed's URL. */
async function feedUrl(p: Parameters<typeof userIdOf>[0]) {
  const token = newToken();
  const userId = await userIdOf(p);
  await ctx.database.db.execute(sql`insert into calendar_tokens (user_id, token_hash) values (${userId}, ${hashToken(token)})
    on conflict (user_id) do update set token_hash = excluded.token_hash`);
  return `/api/calendar/${token}.ics`;
}

export const notificationsMatrix: MatrixTable = {
  'GET /api/me/notifications': [{ name: 'own list', expect: signedIn, prepare: () => ({ method: 'GET', url: '/api/me/notifications' }) }],
  'POST /api/me/notifications/read-all': [{ name: 'mark own read', expect: signedIn, prepare: () => ({ method: 'POST', url: '/api/me/notifications/read-all' }) }],
  'POST /api/me/notifications/:id/read': [
    {
      name: "another user's stored notification",
      expect: all('deny'),
      prepare: async () => {
        const other = (await ctx.database.db.execute<{ id: string }>(sql`select id from users where email = 'rapportor.tn@lund.example'`)).rows[0].id;
        const report = (await ctx.database.db.execute<{ id: string }>(sql`select id from follow_up_reports limit 1`)).rows[0].id;
        const n = await ctx.database.db.execute<{ id: string }>(sql`insert into notifications (user_id, kind, record_type, record_id) values (${other}, 'report_returned', 'follow_up_report', ${report}) returning id`);
        return { method: 'POST', url: `/api/me/notifications/${n.rows[0].id}/read` };
      },
    },
  ],
  'GET /api/me/notification-settings': [{ name: 'own settings', expect: signedIn, prepare: () => ({ method: 'GET', url: '/api/me/notification-settings' }) }],
  'PUT /api/me/notification-settings': [{ name: 'own settings', expect: signedIn, prepare: () => ({ method: 'PUT', url: '/api/me/notification-settings', payload: { emailKinds: ['report_returned'] } }) }],
  'GET /api/me/calendar-token': [{ name: 'own calendar address', expect: signedIn, prepare: () => ({ method: 'GET', url: '/api/me/calendar-token' }) }],
  'POST /api/me/calendar-token': [{ name: 'create own calendar address', expect: signedIn, prepare: () => ({ method: 'POST', url: '/api/me/calendar-token' }) }],
  'DELETE /api/me/calendar-token': [
    {
      name: 'revoke own calendar address',
      expect: signedIn,
      prepare: async (p) => {
        await feedUrl(p);
        return { method: 'DELETE', url: '/api/me/calendar-token' };
      },
    },
  ],
  // An unknown or revoked token (404 for everyone) is in notifications.routes.test.ts: on a public route the matrix cannot deny anonymous.
  'GET /api/calendar/:token.ics': [
    { name: 'the feed with a valid token, without a session', expect: all('allow'), prepare: async (p) => ({ method: 'GET', url: await feedUrl(p), cookie: null }) },
  ],
};
