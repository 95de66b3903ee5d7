import path from 'node:path';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import * as schema from './schema/index.ts';
import { acquireDirLock } from './lock.ts';
import { createChangeFeed, type ChangeFeed } from './changes.ts';

export type Db = NodePgDatabase<typeof schema>;
/** Anything that runs queries: the database handle or a transaction. Every repo function takes one. */
export type Executor = Db | Parameters<Parameters<Db['transaction']>[0]>[0];

export interface Database {
  db: Db;
  pool: pg.Pool;
  kind: 'pglite' | 'postgres';
  /** For PGlite, the loopback port of the embedded server (for tools that need a URL). */
  url: string;
  /** Changes the database announces, for per-process caches (db/changes.ts). */
  changes: ChangeFeed;
  close(): Promise<void>;
}

// Dates stay ISO strings at the edge of the driver; timestamptz is parsed to Date by default.
pg.types.setTypeParser(1082, (v: string) => v); // date → 'YYYY-MM-DD'
pg.types.setTypeParser(20, (v: string) => Number(v)); // bigint counts and ids fit in a double here

interface EmbeddedServer {
  port: number;
  stop(): Promise<void>;
}


/**
 * The pools that reach the embedded PGlite through its socket server. Named prepared statements are not used on
 * them (db/helpers.ts runFixed): after a statement fails there, the socket server's session did not recover for
 * the named statement, and the next requests failed (the fuzz and organisation tests on PGlite found it).
 */
export const embeddedPools = new WeakSet<pg.Pool>();
/**
 * Starts PGlite in a worker thread. dataDir undefined → in memory (tests). `template`: a PGlite data
 * directory (dist/pglite-template/, made at build) that a new, empty data directory starts from.
 */
export async function startEmbedded(dataDir: string | undefined, template?: string): Promise<EmbeddedServer> {
  const release = dataDir ? acquireDirLock(dataDir) : () => {};
  const worker = new Worker(new URL('./pglite-worker.mjs', import.meta.url), {
    workerData: { dataDir: dataDir ? path.resolve(dataDir) : undefined, template },
    // The database thread's young generation stays at 12 MB (semi-spaces of 4 MB): its JavaScript is the socket
    // server's, which allocates little, and the memory goal of the embedded mode counts it (issue #12 item 5).
    // The request thread has a larger one (`npm start`'s --max-semi-space-size, docs/architecture.md).
    resourceLimits: { maxYoungGenerationSizeMb: 12 },
  });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`PGlite-tråden avslutades (kod ${code})`)));
      worker.on('message', (msg) => {
        if (msg.type === 'ready') resolve(msg.port);
        if (msg.type === 'error') reject(new Error(`PGlite kunde inte starta: ${msg.message}`));
      });
    });
    worker.removeAllListeners('exit');
    worker.removeAllListeners('error');
    let stopped: Promise<void> | undefined;
    return {
      port,
      stop() {
        stopped ??= new Promise<void>((resolve) => {
          const done = () => {
            release();
            resolve();
          };
          const timer = setTimeout(() => void worker.terminate().then(done), 15_000);
          worker.on('message', (msg) => {
            if (msg.type === 'closed' || msg.type === 'error') {
              clearTimeout(timer);
              void worker.terminate().then(done);
            }
          });
          worker.postMessage({ type: 'close' });
        });
        return stopped;
      },
    };
  } catch (err) {
    await worker.terminate();
    release();
    throw err;
  }
}

export interface OpenOptions {
  databaseUrl?: string;
  /** Embedded mode: directory for PGlite's files; undefined → in memory. */
  pgliteDir?: string;
  /** Embedded mode: the data directory a new one is copied from (see startEmbedded). */
  pgliteTemplate?: string;
  /**
   * PostgreSQL: keep a connection that listens for the change feed (db/changes.ts; default true). The command-line
   * tools (backup, restore) serve no requests and keep no caches, and restore counts the database's other
   * connections to tell whether Trygg is running: they open it without.
   */
  followChanges?: boolean;
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) {
    const changes = createChangeFeed('postgres');
    // `onConnect` (pg-pool): each connection listens for the change feed before its first statement.
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 10, onConnect: changes.onConnect });
    pool.on('error', () => {}); // idle client errors are reported on the next query
    await pool.query('select 1');
    if (opts.followChanges !== false) await changes.start(opts.databaseUrl);
    return {
      db: drizzle(pool, { schema }),
      pool,
      kind: 'postgres',
      url: opts.databaseUrl,
      changes: changes.feed,
      async close() {
        await changes.close();
        await pool.end();
      },
    };
  }
  const server = await startEmbedded(opts.pgliteDir, opts.pgliteTemplate);
  const url = `postgres://postgres@127.0.0.1:${server.port}/postgres`;
  // One connection: PGlite is a single session. Never use `db` inside a transaction on `tx`.
  const changes = createChangeFeed('pglite');
  const pool = new pg.Pool({ connectionString: url, max: 1, idleTimeoutMillis: 0, onConnect: changes.onConnect });
  pool.on('error', () => {});
  embeddedPools.add(pool);
  return {
    db: drizzle(pool, { schema }),
    pool,
    kind: 'pglite',
    url,
    changes: changes.feed,
    async close() {
      await changes.close();
      await pool.end();
      await server.stop();
    },
  };
}
