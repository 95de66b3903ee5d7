import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';

/** Placeholder until the runner lands (jobs + mail work in progress). */
export function startJobRunner(_opts: { db: Db; config: Config; log: FastifyBaseLogger }) {
  return { stop: async () => {} };
}
