import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';

export interface EnqueueOptions {
  type: string;
  payload?: unknown;
  /** While a job with this key is pending or running, enqueueing another is a no-op. */
  uniqueKey?: string;
  runAt?: Date;
  maxAttempts?: number;
}

/** Adds a job in the caller's transaction, so it exists only if the change that asked for it commits. */
export async function enqueueJob(ex: Executor, opts: EnqueueOptions): Promise<number | null> {
  const res = await ex.execute<{ id: number }>(sql`
    insert into jobs (type, payload, unique_key, run_at, max_attempts)
    values (${opts.type}, ${JSON.stringify(opts.payload ?? {})}::jsonb, ${opts.uniqueKey ?? null},
            ${(opts.runAt ?? new Date()).toISOString()}, ${opts.maxAttempts ?? 5})
    on conflict (unique_key) where status in ('pending', 'running') do nothing
    returning id`);
  return res.rows[0]?.id ?? null;
}
