#!/usr/bin/env node
// `npm run bundle-size`: how much JavaScript (gzip) a first visit downloads, against the goal of 200 kB.
// Reads the manifest of the vite build (dist/web/.vite/manifest.json, `build.manifest: true` in vite.config.ts):
// the entry chunk (index.html) and every chunk it imports statically, transitively, plus the chunks of the pages
// a first visit shows (the sign-in page, then the start page) when they are chunks of their own, with theirs.
// Exits non-zero when the build is missing or the figure is over the goal. Run `npx vite build` first.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

// kB as vite prints it: 1000 bytes.
export const GOAL_BYTES = 200_000;

/** Source files (relative to src/web) of the pages a first visit shows: the sign-in page and the start page. */
export const FIRST_VISIT_PAGES = ['features/auth/pages/SignIn.tsx', 'features/shell/pages/Start.tsx'];

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_DIST = path.join(root, 'dist', 'web');

/**
 * The JavaScript chunks a first visit loads and their gzip sizes.
 * Throws when the build has no manifest or a page named above no longer exists in src/web (so a move cannot
 * make the figure silently smaller).
 */
export function firstVisitJs(distDir = DEFAULT_DIST, pages = FIRST_VISIT_PAGES, webRoot = path.join(root, 'src', 'web')) {
  const manifestFile = path.join(distDir, '.vite', 'manifest.json');
  if (!fs.existsSync(manifestFile)) throw new Error(`Ingen manifest i ${manifestFile}: kör \`npx vite build\` först (build.manifest: true).`);
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  const entries = Object.entries(manifest).filter(([, c]) => c.isEntry);
  if (entries.length !== 1) throw new Error(`Manifestet har ${entries.length} ingångar, väntade en (index.html).`);
  const starts = [entries[0][0]];
  for (const page of pages) {
    if (!fs.existsSync(path.join(webRoot, page))) throw new Error(`Sidan ${page} finns inte i src/web: uppdatera FIRST_VISIT_PAGES.`);
    // A lazily loaded page is a chunk of its own (its key is its source path); an eager one is inside the entry.
    if (manifest[page]) starts.push(page);
  }
  const seen = new Set();
  const visit = (key) => {
    if (seen.has(key)) return;
    const chunk = manifest[key];
    if (!chunk) throw new Error(`Manifestet saknar ${key}.`);
    seen.add(key);
    for (const imp of chunk.imports ?? []) visit(imp);
  };
  for (const s of starts) visit(s);
  const chunks = [...seen]
    .map((key) => manifest[key].file)
    .filter((file) => file.endsWith('.js'))
    .map((file) => {
      const bytes = fs.readFileSync(path.join(distDir, file));
      return { file, bytes: bytes.length, gzip: zlib.gzipSync(bytes, { level: 9 }).length };
    })
    .sort((a, b) => b.gzip - a.gzip);
  return { chunks, gzip: chunks.reduce((n, c) => n + c.gzip, 0), bytes: chunks.reduce((n, c) => n + c.bytes, 0), goal: GOAL_BYTES };
}

const kB = (n) => `${(n / 1000).toFixed(1)} kB`;

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const r = firstVisitJs(process.argv[2] ? path.resolve(process.argv[2]) : DEFAULT_DIST);
    console.log('JavaScript vid ett första besök (inloggningssidan och startsidan):');
    for (const c of r.chunks) console.log(`  ${c.file.padEnd(48)} ${kB(c.bytes).padStart(10)}  gzip ${kB(c.gzip).padStart(9)}`);
    const ok = r.gzip <= r.goal;
    console.log(`Totalt gzip ${kB(r.gzip)} av högst ${kB(r.goal)} (${((100 * r.gzip) / r.goal).toFixed(0)} %): ${ok ? 'inom målet' : 'ÖVER målet'}`);
    process.exitCode = ok ? 0 : 1;
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 2;
  }
}
