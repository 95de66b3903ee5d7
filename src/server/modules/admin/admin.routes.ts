import { desc, eq, sql } from 'drizzle-orm';
import { jobList, jobQuery, outboxList, outboxQuery } from '../../../shared/schemas/admin.ts';
import type { Db } from '../../db/client.ts';
import { jobs, mailOutbox } from '../../db/schema/index.ts';
import { errorResponses, type App } from '../../lib/http.ts';
import { adminPolicies } from './admin.policy.ts';

const tags = ['Administration'];
const iso = (d: Date | null) => d?.toISOString() ?? null;

export function adminRoutes(app: App, { db, smtpConfigured }: { db: Db; smtpConfigured: boolean }) {
  app.get(
    '/api/admin/outbox',
    {
      config: { policy: adminPolicies.mail },
      schema: { tags, summary: 'Utkorgen: e-post som skickats eller sparats', querystring: outboxQuery, response: { 200: outboxList, ...errorResponses } },
    },
    async (req) => {
      const [items, [{ total }]] = await Promise.all([
        db.select().from(mailOutbox).orderBy(desc(mailOutbox.id)).limit(req.query.limit).offset(req.query.offset),
        db.select({ total: sql<number>`count(*)::int` }).from(mailOutbox),
      ]);
      return {
        smtpConfigured,
        total,
        items: items.map((m) => ({ ...m, status: m.status as 'stored' | 'sent' | 'failed', createdAt: m.createdAt.toISOString(), sentAt: iso(m.sentAt) })),
      };
    },
  );

  app.get(
    '/api/admin/jobs',
    {
      config: { policy: adminPolicies.jobs },
      schema: { tags, summary: 'Bakgrundsjobb', querystring: jobQuery, response: { 200: jobList, ...errorResponses } },
    },
    async (req) => {
      const where = req.query.status ? eq(jobs.status, req.query.status) : undefined;
      const [items, [{ total }]] = await Promise.all([
        db.select().from(jobs).where(where).orderBy(desc(jobs.id)).limit(req.query.limit).offset(req.query.offset),
        db.select({ total: sql<number>`count(*)::int` }).from(jobs).where(where),
      ]);
      return {
        total,
        items: items.map((j) => ({
          ...j,
          status: j.status as 'pending' | 'running' | 'done' | 'failed',
          runAt: j.runAt.toISOString(),
          createdAt: j.createdAt.toISOString(),
          finishedAt: iso(j.finishedAt),
        })),
      };
    },
  );
}
