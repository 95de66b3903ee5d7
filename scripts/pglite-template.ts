/**
 * `npm run build` (after vite): a PGlite database with every migration applied, dumped as a tarball to
 * dist/pglite-template.tar.gz. On the first start with an empty data directory the embedded mode loads it
 * (db/pglite-worker.mjs) instead of creating a cluster from nothing (initdb in WebAssembly: most of a first
 * start), then runs the migrations as always — so a template older than the code only means more of them to
 * run. The demo data is not in it: it is seeded at the first start, with dates relative to that day.
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { migrationsFolder } from '../src/server/db/migrate.ts';

export const TEMPLATE = fileURLToPath(new URL('../dist/pglite-template.tar.gz', import.meta.url));

const t0 = performance.now();
const pg = await PGlite.create();
await migrate(drizzle(pg), { migrationsFolder });
await pg.exec('CHECKPOINT');
const dump = await pg.dumpDataDir('gzip');
await pg.close();
fs.mkdirSync(path.dirname(TEMPLATE), { recursive: true });
fs.writeFileSync(TEMPLATE, Buffer.from(await dump.arrayBuffer()));
console.log(`PGlite template: ${path.relative(process.cwd(), TEMPLATE)} (${(fs.statSync(TEMPLATE).size / 1e6).toFixed(1)} MB, migrations applied) in ${Math.round(performance.now() - t0)} ms`);
