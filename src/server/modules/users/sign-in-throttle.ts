import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';

/**
 * Throttles failed sign-ins without letting a stranger lock a known user out.
 *
 * Failures are counted per (account, client address) pair: someone guessing at another address never
 * slows the real user at theirs. After `freeFailures` failures of a pair, each further attempt must wait —
 * 30 seconds after the last free failure, doubling with every further failure, at most 15 minutes. A much
 * higher count across all accounts from one address (`addressFreeFailures`, the account '*') throttles
 * someone trying many accounts. An attempt while a wait runs is refused without being tried or counted.
 * A successful sign-in clears the pair; a count is forgotten a day after its last failure.
 *
 * Kept in the database (table sign_in_failures) and timed by the database's clock, so the throttle holds
 * across restarts and between instances.
 */
export const THROTTLE_BASE_SECONDS = 30;
export const THROTTLE_MAX_SECONDS = 15 * 60;
const FORGET_AFTER = sql.raw(`interval '24 hours'`);
/** The account key of the per-address count across accounts (e-mail addresses never look like this). */
export const ANY_ACCOUNT = '*';

export interface SignInThrottleOptions {
  /** Failures allowed per (account, address) before waits begin (LOGIN_RATE_LIMIT). */
  freeFailures: number;
  /** Failures allowed per address across all accounts before waits begin. */
  addressFreeFailures: number;
}

export function createSignInThrottle(db: Db, opts: SignInThrottleOptions) {
  /** The wait after the n-th failure (n an SQL expression), or null while failures are still free. */
  const blockAfter = (n: SQL, free: number) => sql`case when ${n} >= ${free}
    then now() + make_interval(secs => least(${THROTTLE_MAX_SECONDS}::float8, ${THROTTLE_BASE_SECONDS}::float8 * power(2::float8, least(${n} - ${free}, 30))))
    end`;

  async function count(account: string, address: string, free: number) {
    const next = sql`(case when f.last_failed_at < now() - ${FORGET_AFTER} then 1 else f.failures + 1 end)`;
    await db.execute(sql`
      insert into sign_in_failures as f (account, address, failures, last_failed_at, blocked_until)
      values (${account}, ${address}, 1, now(), ${blockAfter(sql`1`, free)})
      on conflict (account, address) do update set
        failures = ${next}, last_failed_at = now(), blocked_until = ${blockAfter(next, free)}`);
  }

  return {
    /** Seconds to wait before this account may be tried from this address, 0 when it may be tried now. */
    async retryAfter(account: string, address: string): Promise<number> {
      const res = await db.execute<{ wait: number | null }>(sql`
        select max(ceil(extract(epoch from blocked_until - now())))::int as wait from sign_in_failures
        where address = ${address} and account in (${account}, ${ANY_ACCOUNT}) and blocked_until > now()`);
      return Math.max(0, res.rows[0]?.wait ?? 0);
    },

    /** Counts a failure against the pair and against the address; forgets counts a day old. */
    async fail(account: string, address: string) {
      await db.execute(sql`delete from sign_in_failures where last_failed_at < now() - ${FORGET_AFTER}`);
      await count(account, address, opts.freeFailures);
      await count(ANY_ACCOUNT, address, opts.addressFreeFailures);
    },

    /** A successful sign-in: the pair starts afresh (the address count across accounts stays). */
    async clear(account: string, address: string) {
      await db.execute(sql`delete from sign_in_failures where account = ${account} and address = ${address}`);
    },
  };
}

export type SignInThrottle = ReturnType<typeof createSignInThrottle>;
