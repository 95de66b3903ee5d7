import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../../src/server/app.ts';
import { loadConfig, type Config } from '../../src/server/config.ts';
import type { Database } from '../../src/server/db/client.ts';
import { seedDemo } from '../../src/server/seed/seed.ts';
import { createTestDatabase } from './db.ts';

export type TestApp = Awaited<ReturnType<typeof buildApp>>;

export interface TestContext {
  app: TestApp;
  database: Database;
  config: Config;
  close(): Promise<void>;
}

/** A built app on a fresh database, seeded with the Lund demo data unless `seed: false` (`history: true`: with the years of example incidents, as `npm start`). */
export async function createTestApp(opts: { seed?: boolean; history?: boolean; env?: Record<string, string>; webDir?: string } = {}): Promise<TestContext> {
  const database = await createTestDatabase();
  if (opts.seed !== false) await seedDemo(database.db, undefined, { history: opts.history });
  // Each test app keeps its files (registry records, documents) in a folder of its own, removed on close.
  const filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trygg-files-'));
  const config = loadConfig({ LOG_LEVEL: 'silent', NODE_ENV: 'test', SEED_DEMO: 'false', API_RATE_LIMIT: '1000000', FILES_DIR: filesDir, ...opts.env });
  let app: TestApp;
  try {
    app = await buildApp({ config, database, webDir: opts.webDir });
    await app.ready();
  } catch (e) {
    // A test of a boot that must fail leaves nothing open behind it.
    await database.close();
    fs.rmSync(filesDir, { recursive: true, force: true });
    throw e;
  }
  return {
    app,
    database,
    config,
    async close() {
      await app.close();
      await database.close();
      fs.rmSync(filesDir, { recursive: true, force: true });
    },
  };
}
