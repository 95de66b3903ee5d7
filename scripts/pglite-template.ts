/**
 * `npm run build` (after vite): a PGlite data directory with every migration applied, in dist/pglite-template/.
 * On the first start with an empty data directory the embedded mode copies it (db/pglite-worker.mjs) instead
 * of creating a cluster from nothing (initdb in WebAssembly: most of a first start), then runs the migrations
 * as always — so a template older than the code only means more of them to run. The demo data is not in it:
 * it is seeded at the first start, with dates relative to that day.
 *
 * A plain directory, not a tarball for PGlite's `loadDataDir`: that one inflates the whole 44 MB archive in
 * memory in small pieces and copies every file out of it, which left about 50 MB of freed but unreturned
 * allocations in the worker thread's malloc arena for the life of the server (issue #12 item 5); copying files
 * costs neither memory nor time.
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { migrationsFolder } from '../src/server/db/migrate.ts';

export const TEMPLATE = fileURLToPath(new URL('../dist/pglite-template', import.meta.url));

const t0 = performance.now();
// Made beside the old one and swapped in, so a failed build leaves no half-made template behind.
const making = `${TEMPLATE}.making`;
fs.rmSync(making, { recursive: true, force: true });
fs.mkdirSync(path.dirname(making), { recursive: true });
const pg = await PGlite.create({ dataDir: making });
await migrate(drizzle(pg), { migrationsFolder });
await pg.exec('CHECKPOINT');
await pg.close();
fs.rmSync(TEMPLATE, { recursive: true, force: true });
fs.rmSync(`${TEMPLATE}.tar.gz`, { force: true }); // the former format (before 2026-12-07)
fs.renameSync(making, TEMPLATE);
let bytes = 0;
for (const entry of fs.readdirSync(TEMPLATE, { recursive: true, withFileTypes: true })) {
  if (entry.isFile()) bytes += fs.statSync(path.join(entry.parentPath, entry.name)).size;
}
console.log(`PGlite template: ${path.relative(process.cwd(), TEMPLATE)}/ (${(bytes / 1e6).toFixed(1)} MB, migrations applied) in ${Math.round(performance.now() - t0)} ms`);
