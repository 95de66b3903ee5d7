import type { ChangeFeed } from '../../db/changes.ts';

/**
 * Sessions with their actor, kept in memory per process so that an API request needs no round trip of its own
 * to authenticate (issue #12 item 2). Correct only together with the database's change feed (db/changes.ts):
 *
 * - Every change to what the session statement reads (the session, its user, the user's grants, the
 *   organisation tree's version) is announced by the database at commit, and empties the cache. A change made
 *   through this process has emptied it before the statement that made it resolves; one made elsewhere (another
 *   instance) within the time a notice takes.
 * - While the feed is not live (its connection is down, or not up yet), the cache answers nothing.
 * - A read that began before a change must not be kept after it: `fill` takes the generation read before the
 *   session statement was sent and keeps nothing if the cache was emptied since.
 * - An entry is read again from the database at the latest after `maxAgeMs`, as a bound should a notice ever
 *   be lost without its connection failing.
 * - Sessions that do not exist, or whose user is inactive, are never kept (nobody fills memory with bad cookies).
 */
export interface SessionCache<T> {
  /** The generation to pass to `fill`: read it before the statement whose answer will be kept. */
  generation(): number;
  get(tokenHash: string): T | undefined;
  fill(tokenHash: string, value: T, generation: number): void;
  forget(tokenHash: string): void;
  /** Stops following the feed (the app closes). */
  close(): void;
}

export function createSessionCache<T>(opts: { feed: ChangeFeed; maxAgeMs?: number; maxEntries?: number; now?: () => number }): SessionCache<T> {
  const maxAgeMs = opts.maxAgeMs ?? 10_000;
  const maxEntries = opts.maxEntries ?? 10_000;
  const now = opts.now ?? Date.now;
  let generation = 0;
  let entries = new Map<string, { value: T; at: number }>();
  const unsubscribe = opts.feed.subscribe(() => {
    generation++;
    if (entries.size) entries = new Map();
  });
  return {
    generation: () => generation,
    get(tokenHash) {
      if (!opts.feed.live()) return undefined;
      const entry = entries.get(tokenHash);
      if (!entry) return undefined;
      if (now() - entry.at >= maxAgeMs) {
        entries.delete(tokenHash);
        return undefined;
      }
      return entry.value;
    },
    fill(tokenHash, value, readAt) {
      if (readAt !== generation || !opts.feed.live()) return;
      // Past the bound, the oldest entry goes (a Map iterates in insertion order).
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
      entries.set(tokenHash, { value, at: now() });
    },
    forget(tokenHash) {
      entries.delete(tokenHash);
    },
    close() {
      unsubscribe();
      entries = new Map();
    },
  };
}
