/**
 * The organisation tree is cached per app instance and checked against `org_tree_version`, read with the
 * session (lib/context.ts). Two instances on one database: a change made through one is seen by the other on
 * its next request; and a request whose tree is current makes no round trip for the tree.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { buildApp } from '../app.ts';
import { createTestApp, type TestApp, type TestContext } from '../../../test/helpers/app.ts';
import { orgId, signIn } from '../../../test/helpers/factories.ts';
import { statementsDuring } from '../../../test/helpers/db.ts';

let ctx: TestContext;
let other: TestApp;
let admin: string;
let sonAdmin: string;

beforeAll(async () => {
  ctx = await createTestApp();
  // A second instance on the same database, with its own cache (as a second process would have).
  other = await buildApp({ config: ctx.config, database: ctx.database });
  await other.ready();
  admin = await signIn(ctx.app, 'admin@lund.example');
  sonAdmin = await signIn(ctx.app, 'admin.son@lund.example');
});
afterAll(async () => {
  await other?.close();
  await ctx?.close();
});

const call = (app: TestApp, cookie: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
  app.inject({ method, url, payload, headers: { cookie } });

/** Counts the statements the app sends to the database while `fn` runs. */
const countQueries = async (fn: () => Promise<unknown>) => (await statementsDuring(ctx.database, fn)).length;

describe('organisation tree cache', () => {
  it('a change made through one instance is seen by the other on its next request', async () => {
    const tn = await orgId(ctx.database, 'tn');
    const son = await orgId(ctx.database, 'son');
    // Both instances have the tree cached.
    for (const app of [ctx.app, other]) expect((await call(app, sonAdmin, 'GET', `/api/organisations/${son}`)).statusCode).toBe(200);

    // Created through the first instance, under Tekniska nämnden.
    const created = await call(ctx.app, admin, 'POST', '/api/organisations', { type: 'department', name: 'Cacheförvaltningen', parentId: tn });
    expect(created.statusCode).toBe(201);
    const org = created.json() as { id: string; version: number };

    // The second instance knows it at once (a stale tree would answer 404: no such organisation) …
    expect((await call(other, admin, 'GET', `/api/organisations/${org.id}`)).statusCode).toBe(200);
    // … and knows that SON's administrator may not change it (it lies under TN).
    expect((await call(other, sonAdmin, 'PATCH', `/api/organisations/${org.id}`, { version: org.version, name: 'Försök' })).statusCode).toBe(403);

    // Moved under SON through the second instance: now the first instance lets SON's administrator change it.
    const moved = await call(other, admin, 'POST', `/api/organisations/${org.id}/move`, { version: org.version, parentId: son });
    expect(moved.statusCode).toBe(200);
    const renamed = await call(ctx.app, sonAdmin, 'PATCH', `/api/organisations/${org.id}`, { version: moved.json().version, name: 'Socialt cachekontor' });
    expect(renamed.statusCode).toBe(200);

    // A change straight in the database (another tool, a restore) is seen too: the trigger raises the version.
    await ctx.database.db.execute(sql`update organisations set parent_id = ${tn} where id = ${org.id}`);
    for (const app of [ctx.app, other]) {
      expect((await call(app, sonAdmin, 'PATCH', `/api/organisations/${org.id}`, { version: renamed.json().version, name: 'Igen' })).statusCode).toBe(403);
    }
  });

  it('a request whose session and tree are current makes no round trip besides its own query', async () => {
    const son = await orgId(ctx.database, 'son');
    const url = `/api/organisations/${son}`;
    expect((await call(other, sonAdmin, 'GET', url)).statusCode).toBe(200); // both caches are current now
    // The session is kept in memory (users/session-cache.ts) and the tree with it: only the organisation itself.
    expect(await countQueries(() => call(other, sonAdmin, 'GET', url))).toBe(1);
    // After a change to the tree (announced by the database, db/changes.ts) the session is read again with the
    // tree's new version, and the tree once; then both are kept again.
    await ctx.database.db.execute(sql`update organisations set name = name where id = ${son}`);
    expect(await countQueries(() => call(other, sonAdmin, 'GET', url))).toBe(3);
    expect(await countQueries(() => call(other, sonAdmin, 'GET', url))).toBe(1);
  });
});
