import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/server/db/client.ts';
import { runMigrations } from '../../src/server/db/migrate.ts';

/**
 * Set by test/global-setup.ts: a PGlite data directory with every migration applied, made once per test run
 * in a folder of the run's own; the files' databases are made beside it, and the run's end removes them all.
 */
export const PGLITE_TEMPLATE_ENV = 'TRYGG_TEST_PGLITE_TEMPLATE';

/**
 * A fresh, migrated database for one test file: PGlite by default, or a new database on the PostgreSQL
 * server in TEST_DATABASE_URL (dropped again by close()). PGlite starts from the run's template (see
 * test/global-setup.ts) in a directory of its own beside it, removed by close(): creating a cluster in
 * WebAssembly and migrating it is most of a file's setup. Without a template (a run without the global
 * setup), in memory from nothing, as before. Migrations run in both cases.
 */
export async function createTestDatabase(): Promise<Database & { kindLabel: string }> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  const template = process.env[PGLITE_TEMPLATE_ENV];
  if (!serverUrl && template && fs.existsSync(path.join(template, 'PG_VERSION'))) {
    const dir = fs.mkdtempSync(path.join(path.dirname(template), 'db-'));
    return migrated(await openDatabase({ pgliteDir: dir, pgliteTemplate: template }), 'pglite', () => fs.rmSync(dir, { recursive: true, force: true }));
  }
  if (!serverUrl) return migrated(await openDatabase({}), 'pglite');
  const name = `trygg_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return migrated(await openDatabase({ databaseUrl: url.toString() }), 'postgres', async () => {
    const c = new pg.Client({ connectionString: serverUrl });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  });
}

/** The database migrated; `close` closes it, then removes what `removeAfter` removes (its files, its database). */
async function migrated(database: Database, kindLabel: string, removeAfter?: () => unknown): Promise<Database & { kindLabel: string }> {
  await runMigrations(database);
  return {
    ...database,
    kindLabel,
    async close() {
      await database.close();
      await removeAfter?.();
    },
  };
}

/** A statement as sent through the pool: its text and its parameters. */
export interface SentQuery {
  text: string;
  values: unknown[];
}

/**
 * The statements `fn` sends through the database's pool (drizzle's queries and runFixed go through pool.query),
 * in order, with their parameters (the tests count them; the benchmarks replay them or explain their plans).
 */
export async function queriesDuring(database: Database, fn: () => Promise<unknown>): Promise<SentQuery[]> {
  const pool = database.pool as unknown as { query: (...args: unknown[]) => unknown };
  const original = pool.query;
  const sent: SentQuery[] = [];
  pool.query = function (this: unknown, ...args: unknown[]) {
    const [config, values] = args as [string | { text: string; values?: unknown[] }, unknown[] | undefined];
    sent.push(typeof config === 'string' ? { text: config, values: values ?? [] } : { text: config.text, values: values ?? config.values ?? [] });
    return original.apply(this, args);
  };
  try {
    await fn();
  } finally {
    pool.query = original;
  }
  return sent;
}

/** The texts of the statements `fn` sends through the database's pool, in order. */
export const statementsDuring = async (database: Database, fn: () => Promise<unknown>): Promise<string[]> =>
  (await queriesDuring(database, fn)).map((q) => q.text);
