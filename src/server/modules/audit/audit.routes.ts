import { and, desc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import { auditList, auditListQuery, auditVerify } from '../../../shared/schemas/audit.ts';
import type { Db } from '../../db/client.ts';
import { auditLog } from '../../db/schema/index.ts';
import { verifyAuditChain } from '../../lib/audit.ts';
import { errorResponses, type App } from '../../lib/http.ts';
import { auditPolicies } from './audit.policy.ts';

const tags = ['Logg'];
// The log spans every organisation: reading it is a right on the municipality itself.
const policy = auditPolicies.read;

export function auditRoutes(app: App, { db }: { db: Db }) {
  app.get(
    '/api/audit',
    {
      config: { policy },
      schema: { tags, summary: 'Sök i granskningsloggen', querystring: auditListQuery, response: { 200: auditList, ...errorResponses } },
    },
    async (req) => {
      const q = req.query;
      const conds: (SQL | undefined)[] = [
        q.entityType ? eq(auditLog.entityType, q.entityType) : undefined,
        q.entityId ? eq(auditLog.entityId, q.entityId) : undefined,
        q.actorId ? eq(auditLog.actorId, q.actorId) : undefined,
        q.action ? eq(auditLog.action, q.action) : undefined,
        // Dates are calendar days in Stockholm.
        q.from ? gte(auditLog.at, sql`(${q.from}::date::timestamp at time zone 'Europe/Stockholm')`) : undefined,
        q.to ? lt(auditLog.at, sql`((${q.to}::date + 1)::timestamp at time zone 'Europe/Stockholm')`) : undefined,
      ];
      const where = and(...conds);
      const [items, [{ total }]] = await Promise.all([
        db.select().from(auditLog).where(where).orderBy(desc(auditLog.id)).limit(q.limit).offset(q.offset),
        db.select({ total: sql<number>`count(*)::int` }).from(auditLog).where(where),
      ]);
      return {
        total,
        items: items.map(({ prevHash, hash, ...e }) => ({ ...e, at: new Date(e.at).toISOString() })),
      };
    },
  );

  app.get(
    '/api/audit/verify',
    {
      config: { policy },
      schema: { tags, summary: 'Kontrollera loggens hashkedja', response: { 200: auditVerify, ...errorResponses } },
    },
    async () => verifyAuditChain(db),
  );
}
