import { z } from 'zod';
import type { Database } from '../../db/client.ts';
import type { App } from '../../lib/http.ts';
import { healthPolicies } from './health.policy.ts';

const tags = ['Drift'];

export function healthRoutes(app: App, { database }: { database: Database }) {
  app.get(
    '/healthz',
    { config: { policy: healthPolicies.probe }, schema: { tags, summary: 'Processen lever', response: { 200: z.object({ status: z.literal('ok') }) } } },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      config: { policy: healthPolicies.probe },
      schema: {
        tags,
        summary: 'Redo att ta emot trafik (databasen svarar)',
        response: { 200: z.object({ status: z.literal('ready'), database: z.string() }), 503: z.object({ status: z.literal('unavailable'), database: z.string() }) },
      },
    },
    async (_req, reply) => {
      try {
        await database.pool.query('select 1');
        return { status: 'ready' as const, database: database.kind };
      } catch {
        return reply.code(503).send({ status: 'unavailable' as const, database: database.kind });
      }
    },
  );
}
