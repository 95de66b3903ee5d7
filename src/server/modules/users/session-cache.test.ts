/**
 * Sessions kept in memory (session-cache.ts): the cache's own rules with a feed under the test's control, then
 * the app's behaviour on a real database — a kept session never outlives a change to what it was read from,
 * whether the change was made through this instance, another one, or straight in the database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { buildApp } from '../../app.ts';
import type { ChangeFeed } from '../../db/changes.ts';
import { openDatabase, type Database } from '../../db/client.ts';
import { createTestApp, type TestApp, type TestContext } from '../../../../test/helpers/app.ts';
import { createUser, orgId, signIn } from '../../../../test/helpers/factories.ts';
import { statementsDuring } from '../../../../test/helpers/db.ts';
import { createSessionCache } from './session-cache.ts';
import { createAuthService } from './auth.service.ts';

/** A change feed the test drives: `announce` is a notice, `live` whether anyone listens. */
function testFeed() {
  const subscribers = new Set<(table: string) => void>();
  let live = true;
  const feed: ChangeFeed = {
    live: () => live,
    subscribe(fn) {
      subscribers.add(fn);
      return () => subscribers.delete(fn);
    },
  };
  return {
    feed,
    announce: (table = 'role_grants') => subscribers.forEach((fn) => fn(table)),
    setLive: (value: boolean) => {
      live = value;
      subscribers.forEach((fn) => fn(''));
    },
    subscribers,
  };
}

describe('session cache', () => {
  it('keeps a session until a change is announced', () => {
    const f = testFeed();
    const cache = createSessionCache<string>({ feed: f.feed });
    cache.fill('a', 'A', cache.generation());
    expect(cache.get('a')).toBe('A');
    f.announce();
    expect(cache.get('a')).toBeUndefined();
  });

  it('does not keep what was read before a change that was announced while it was read', () => {
    const f = testFeed();
    const cache = createSessionCache<string>({ feed: f.feed });
    const before = cache.generation(); // the session statement is sent …
    f.announce(); // … a grant is removed and announced before its answer arrives …
    cache.fill('a', 'stale', before); // … so the answer is used once, not kept
    expect(cache.get('a')).toBeUndefined();
    cache.fill('a', 'fresh', cache.generation());
    expect(cache.get('a')).toBe('fresh');
  });

  it('answers nothing and keeps nothing while the feed is not live, and forgets what it had', () => {
    const f = testFeed();
    const cache = createSessionCache<string>({ feed: f.feed });
    cache.fill('a', 'A', cache.generation());
    f.setLive(false);
    expect(cache.get('a')).toBeUndefined();
    cache.fill('b', 'B', cache.generation());
    f.setLive(true);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toBeUndefined();
  });

  it('reads a session again after the longest time it may be kept', () => {
    const f = testFeed();
    let now = 1_000_000;
    const cache = createSessionCache<string>({ feed: f.feed, maxAgeMs: 10_000, now: () => now });
    cache.fill('a', 'A', cache.generation());
    now += 9_999;
    expect(cache.get('a')).toBe('A');
    now += 1;
    expect(cache.get('a')).toBeUndefined();
  });

  it('keeps at most maxEntries sessions, the oldest going first', () => {
    const f = testFeed();
    const cache = createSessionCache<string>({ feed: f.feed, maxEntries: 2 });
    for (const k of ['a', 'b', 'c']) cache.fill(k, k.toUpperCase(), cache.generation());
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([undefined, 'B', 'C']);
  });

  it('stops following the feed when closed', () => {
    const f = testFeed();
    const cache = createSessionCache<string>({ feed: f.feed });
    expect(f.subscribers.size).toBe(1);
    cache.close();
    expect(f.subscribers.size).toBe(0);
  });
});

describe('kept sessions in the app', () => {
  let ctx: TestContext;
  /** A second instance on the same database: its own pools and listener on PostgreSQL (as another process). */
  let otherDatabase: Database;
  let other: TestApp;
  let son: string;
  let admin: string;

  beforeAll(async () => {
    ctx = await createTestApp();
    otherDatabase = ctx.database.kind === 'postgres' ? await openDatabase({ databaseUrl: ctx.database.url }) : ctx.database;
    other = await buildApp({ config: ctx.config, database: otherDatabase });
    await other.ready();
    son = await orgId(ctx.database, 'son');
    admin = await signIn(ctx.app, 'admin@lund.example');
  });
  afterAll(async () => {
    await other?.close();
    if (otherDatabase !== ctx?.database) await otherDatabase?.close();
    await ctx?.close();
  });

  const sessionReads = (texts: string[]) => texts.filter((t) => /from sessions/.test(t)).length;

  /** Resolves when `database`'s feed next hears a change (another instance hears it within a notice's time). */
  const heardBy = (database: Database) =>
    new Promise<void>((resolve) => {
      const stop = database.changes.subscribe((table) => {
        if (table === '') return;
        stop();
        resolve();
      });
    });

  async function reporter() {
    const user = await createUser(ctx.database, { homeOrganisationId: son, grants: [{ organisationId: son, role: 'reporter' }] });
    const cookie = await signIn(ctx.app, user.email);
    return { user, cookie };
  }
  const myIncidents = (app: TestApp, cookie: string) => app.inject({ url: '/api/incidents?limit=1', headers: { cookie } });

  it('a kept session makes no round trip; the first request after a change reads it again', async () => {
    const { cookie } = await reporter();
    await myIncidents(ctx.app, cookie);
    expect(sessionReads(await statementsDuring(ctx.database, () => myIncidents(ctx.app, cookie)))).toBe(0);
    await ctx.database.db.execute(sql`delete from role_grants where false`); // announced all the same
    expect(sessionReads(await statementsDuring(ctx.database, () => myIncidents(ctx.app, cookie)))).toBe(1);
    expect(sessionReads(await statementsDuring(ctx.database, () => myIncidents(ctx.app, cookie)))).toBe(0);
  });

  it('a grant removed through this instance refuses the next request at once', async () => {
    const { user, cookie } = await reporter();
    expect((await myIncidents(ctx.app, cookie)).statusCode).toBe(200);
    const grants = await ctx.app.inject({ url: `/api/users/${user.id}`, headers: { cookie: admin } });
    const grantId = (grants.json().grants as { id: string }[])[0].id;
    const removed = await ctx.app.inject({ method: 'DELETE', url: `/api/users/${user.id}/roles/${grantId}`, headers: { cookie: admin, origin: 'http://localhost' } });
    expect(removed.statusCode).toBe(200);
    expect((await myIncidents(ctx.app, cookie)).statusCode).toBe(403);
  });

  it('a user deactivated through another instance is signed out on this one', async () => {
    const { user, cookie } = await reporter();
    expect((await myIncidents(ctx.app, cookie)).statusCode).toBe(200); // kept here now
    const heard = heardBy(ctx.database);
    const current = await other.inject({ url: `/api/users/${user.id}`, headers: { cookie: admin } });
    const res = await other.inject({
      method: 'PATCH',
      url: `/api/users/${user.id}`,
      headers: { cookie: admin, origin: 'http://localhost' },
      payload: { version: current.json().version, active: false },
    });
    expect(res.statusCode).toBe(200);
    await heard;
    expect((await myIncidents(ctx.app, cookie)).statusCode).toBe(401);
  });

  it('a session ended straight in the database is not used again', async () => {
    const { user, cookie } = await reporter();
    expect((await myIncidents(ctx.app, cookie)).statusCode).toBe(200);
    const heard = heardBy(ctx.database);
    await otherDatabase.db.execute(sql`delete from sessions where user_id = ${user.id}`);
    await heard;
    expect((await myIncidents(ctx.app, cookie)).statusCode).toBe(401);
  });

  it('answers a kept session without a promise (the request goes on in the same tick), one not kept with a promise', async () => {
    const auth = createAuthService({ db: ctx.database.db, changes: ctx.database.changes, idleMinutes: 60, maxHours: 10, loginRateLimit: 5 });
    try {
      const { user, cookie } = await reporter();
      const token = decodeURIComponent(/trygg_session=([^;]+)/.exec(cookie)![1]);
      const first = auth.authenticate(token);
      expect(first).toBeInstanceOf(Promise);
      expect(await first).toMatchObject({ actor: { id: user.id } });
      const kept = auth.authenticate(token);
      expect(kept).not.toBeInstanceOf(Promise);
      expect(kept).toMatchObject({ actor: { id: user.id } });
      expect(auth.authenticate('no-such-session')).toBeInstanceOf(Promise);
    } finally {
      auth.close();
    }
  });
});
