/**
 * The database's change feed (db/changes.ts, migration 0030_change_notify): which changes are announced, that a
 * change made through this process has been heard when the statement that made it resolves, and (PostgreSQL)
 * that the always-listening connection hears other instances and comes back after it is cut.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestContext } from '../../../test/helpers/app.ts';
import { createUser, orgId, signIn } from '../../../test/helpers/factories.ts';
import pg from 'pg';
import { CHANGES_CHANNEL } from './changes.ts';
import { openDatabase, type Database } from './client.ts';

let ctx: TestContext;
let heard: string[] = [];
let son: string;
/** PostgreSQL: a connection of the test's own that listens, so that every notice arrives once and in commit order. */
let ordered: pg.Client | undefined;
let orderedHeard: string[] = [];

beforeAll(async () => {
  ctx = await createTestApp();
  ctx.database.changes.subscribe((table) => heard.push(table));
  son = await orgId(ctx.database, 'son');
  if (ctx.database.kind === 'postgres') {
    ordered = new pg.Client({ connectionString: ctx.database.url });
    await ordered.connect();
    ordered.on('notification', (m) => orderedHeard.push(m.payload ?? ''));
    await ordered.query(`listen ${CHANGES_CHANNEL}`);
  }
});
afterAll(async () => {
  await ordered?.end();
  await ctx?.close();
});

let markers = 0;
/**
 * What `fn` announced: `sync`, what the app's feed had heard when `fn`'s statement resolved; `byApp`, what it had
 * heard by the time the marker below arrived (no late copies: each change is heard once); `all`, every notice `fn`
 * sent, exactly — read up to a marker notice sent after `fn` (PostgreSQL: on the test's own connection, where
 * notices arrive once and in commit order; PGlite: the feed, which hears every notice when its statement resolves).
 */
async function announcedBy(fn: () => Promise<unknown>) {
  heard = [];
  orderedHeard = [];
  await fn().catch(() => {});
  const sync = [...new Set(heard.filter((t) => t !== ''))];
  const marker = `marker-${++markers}`;
  const arrived = new Promise<void>((resolve) => {
    if (!ordered) return resolve();
    const check = (m: pg.Notification) => {
      if (m.payload !== marker) return;
      ordered!.off('notification', check);
      resolve();
    };
    ordered.on('notification', check);
  });
  await ctx.database.db.execute(sql`select pg_notify(${CHANGES_CHANNEL}, ${marker})`);
  await arrived;
  const stream = ordered ? orderedHeard : heard;
  const notices = (list: string[]) => list.filter((t) => t !== '' && !t.startsWith('marker-'));
  const all = notices(stream.slice(0, stream.indexOf(marker)));
  return { sync, all, byApp: notices(heard) };
}

/** Expects `fn` to announce exactly `tables`, heard by the app once each, when `fn` resolved. */
async function expectAnnounced(fn: () => Promise<unknown>, tables: string[]) {
  const { sync, all, byApp } = await announcedBy(fn);
  expect(all).toEqual(tables);
  expect(sync).toEqual(tables);
  expect(byApp).toEqual(tables);
}

describe('change feed', () => {
  it('is live once the database is open', () => {
    expect(ctx.database.changes.live()).toBe(true);
  });

  it('announces what the session statement reads, heard when the change resolves', async () => {
    const db = ctx.database.db;
    const user = await createUser(ctx.database, { homeOrganisationId: son, grants: [{ organisationId: son, role: 'reporter' }] });
    const cookie = await signIn(ctx.app, user.email);
    const token = cookie.replace(/^trygg_session=/, '');
    const session = sql`token_hash = encode(sha256(convert_to(${token}, 'UTF8')), 'hex')`;

    // Grants: every change.
    await expectAnnounced(() => db.execute(sql`insert into role_grants (user_id, organisation_id, role, include_subtree) values (${user.id}, ${son}, 'reader', false)`), ['role_grants']);
    await expectAnnounced(() => db.execute(sql`update role_grants set include_subtree = true where user_id = ${user.id}`), ['role_grants']);
    await expectAnnounced(() => db.execute(sql`delete from role_grants where user_id = ${user.id} and role = 'reader'`), ['role_grants']);
    // Users: what the session statement reads of them, not the time of the last sign-in.
    await expectAnnounced(() => db.execute(sql`update users set active = false where id = ${user.id}`), ['users']);
    await expectAnnounced(() => db.execute(sql`update users set active = true, name = 'Nytt namn' where id = ${user.id}`), ['users']);
    await expectAnnounced(() => db.execute(sql`update users set last_login_at = now() where id = ${user.id}`), []);
    // Sessions: a later expiry (the sliding extension) is not announced; an earlier one, and the end, are.
    await expectAnnounced(() => db.execute(sql`update sessions set expires_at = expires_at + interval '1 minute', last_seen_at = now() where ${session}`), []);
    await expectAnnounced(() => db.execute(sql`update sessions set expires_at = expires_at - interval '2 minutes' where ${session}`), ['sessions']);
    await expectAnnounced(() => db.execute(sql`delete from sessions where ${session}`), ['sessions']);
    // The organisation tree, through its version.
    await expectAnnounced(() => db.execute(sql`update organisations set name = name where id = ${son}`), ['org_tree_version']);
    // Other tables are not announced.
    await expectAnnounced(() => db.execute(sql`update cases set title = title where false`), []);
  });

  it('announces a change at commit, once per transaction, and only if it commits', async () => {
    const db = ctx.database.db;
    const change = sql`update role_grants set include_subtree = include_subtree where organisation_id = ${son}`;
    await expectAnnounced(
      () =>
        db.transaction(async (tx) => {
          await tx.execute(change);
          throw new Error('rolled back');
        }),
      [],
    );
    await expectAnnounced(
      () =>
        db.transaction(async (tx) => {
          await tx.execute(change);
          await tx.execute(change);
        }),
      ['role_grants'],
    );
  });
});

// Another instance: on PostgreSQL a second database handle (its own pool and listening connection, as another
// process has); PGlite's data directory is locked to one process, so there the other instance is a second app in
// the same process, on the same handle, where every change is made on a listening pool connection.
describe('change feed across instances', () => {
  let second: Database;
  const postgres = () => ctx.database.kind === 'postgres';
  beforeAll(async () => {
    second = postgres() ? await openDatabase({ databaseUrl: ctx.database.url }) : ctx.database;
  });
  afterAll(async () => {
    if (second !== ctx.database) await second?.close();
  });

  /** Resolves with the next notice `database` hears (or '' when its feed goes down or comes back). */
  const next = (database: Database, want?: (table: string) => boolean) =>
    new Promise<string>((resolve) => {
      const stop = database.changes.subscribe((table) => {
        if (want && !want(table)) return;
        stop();
        resolve(table);
      });
    });

  it('a change made through one instance is heard by another', async () => {
    const heardThere = next(second, (t) => t !== '');
    await ctx.database.db.execute(sql`update organisations set name = name where id = ${son}`);
    expect(await heardThere).toBe('org_tree_version');
  });

  it('while its listening connection is cut the feed is not live, and it comes back', async () => {
    expect(second.changes.live()).toBe(true);
    const down = next(second, (t) => t === '');
    if (postgres()) {
      const { rows } = await ctx.database.db.execute<{ n: number }>(
        sql`select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where application_name = 'trygg-change-feed' and datname = current_database()`,
      );
      expect(rows[0].n).toBe(2); // each open database has one
    } else {
      // PGlite: the pool's one connection is the listener; it is dropped.
      const client = await second.pool.connect();
      client.release(new Error('cut'));
    }
    expect(await down).toBe('');
    expect(second.changes.live()).toBe(false);
    if (postgres()) {
      // It reconnects by itself.
      const back = next(second, (t) => t === '');
      expect(await back).toBe('');
    } else {
      // The next statement opens a new pool connection, which listens before it runs anything.
      await second.db.execute(sql`select 1`);
    }
    expect(second.changes.live()).toBe(true);
    // And it hears changes again.
    const heardThere = next(second, (t) => t !== '');
    await ctx.database.db.execute(sql`delete from role_grants where false`);
    expect(await heardThere).toBe('role_grants');
  });
});
