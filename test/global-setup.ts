import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../src/server/db/client.ts';
import { runMigrations } from '../src/server/db/migrate.ts';
import { PGLITE_TEMPLATE_ENV } from './helpers/db.ts';

/**
 * Runs once before the test workers start (they inherit its environment); what it returns runs after the last.
 */
export default async function setup() {
  await unpackChromium();
  return makePgliteTemplate();
}

/**
 * Without Debian's Chromium the browser tests use the one that @sparticuz/chromium unpacks into /tmp on first
 * use; two workers unpacking it at the same moment fail with ETXTBSY, so it is unpacked here, once.
 */
async function unpackChromium() {
  if (process.env.CHROMIUM_PATH || fs.existsSync('/usr/bin/chromium')) return;
  const files = fs.readdirSync('test/e2e').filter((f) => f.endsWith('.e2e.test.ts'));
  if (!files.length) return;
  const sparticuz = (await import('@sparticuz/chromium')).default;
  await sparticuz.executablePath();
}

/**
 * On PGlite, every test file's database starts as a copy of one migrated data directory made here
 * (test/helpers/db.ts), as `npm start` starts from dist/pglite-template/: creating a cluster in WebAssembly
 * and running every migration took most of each file's setup, and is now done once a run. The copy still
 * runs the migrations (none left to apply), so the databases are the ones the migrations make.
 */
async function makePgliteTemplate() {
  if (process.env.TEST_DATABASE_URL) return undefined;
  const run = fs.mkdtempSync(path.join(os.tmpdir(), 'trygg-test-pglite-'));
  const dir = path.join(run, 'template');
  const database = await openDatabase({ pgliteDir: dir });
  await runMigrations(database);
  await database.close(); // checkpoints: the directory holds everything
  process.env[PGLITE_TEMPLATE_ENV] = dir;
  return () => {
    delete process.env[PGLITE_TEMPLATE_ENV];
    // With the databases of files that ended without close() (a crashed worker).
    fs.rmSync(run, { recursive: true, force: true });
  };
}
