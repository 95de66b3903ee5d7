/**
 * `npm run build`: the server as one JavaScript file, dist/server/main.mjs, which `npm start` runs with plain
 * node (issue #12 item 5). Running src/server/main.ts through tsx compiled every TypeScript file at each start
 * and kept tsx's loader thread (a second JavaScript heap) and its caches for the life of the process: about
 * 90 MB more resident memory after a first start and a few seconds more to the first answer. `npm run dev`,
 * the tests and the tools (backup, restore, audit:verify) still run the TypeScript through tsx.
 *
 * Packages stay imports from node_modules (not bundled: exceljs, pdfkit and docx are still loaded on first
 * use). Each module's `import.meta.url` is rewritten to its source file's address, so paths resolved from it
 * (dist/web, the drizzle migrations, the PGlite worker src/server/db/pglite-worker.mjs, the fonts) are the
 * same as when the TypeScript runs; the bundle is therefore run in place, from dist/server/.
 *
 * esbuild is a devDependency of its own (the same version tsx and vite use), installed by `npm install`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
export const SERVER_BUNDLE = path.join(root, 'dist', 'server', 'main.mjs');

/** Replaces `import.meta.url` in every bundled module by the address of that module's own source file. */
function sourceMetaUrl(outfile: string): Plugin {
  return {
    name: 'source-import-meta-url',
    setup(b) {
      b.onLoad({ filter: /\.(ts|mts|js|mjs)$/ }, async (args) => {
        if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
        const source = await fs.promises.readFile(args.path, 'utf8');
        if (!source.includes('import.meta.url')) return undefined;
        const relative = path.relative(path.dirname(outfile), args.path).split(path.sep).join('/');
        return {
          contents: source.replaceAll('import.meta.url', `new URL(${JSON.stringify(relative)}, import.meta.url).href`),
          loader: /\.m?ts$/.test(args.path) ? 'ts' : 'js',
        };
      });
    },
  };
}

/** Bundles src/server/main.ts into `outfile` (default dist/server/main.mjs); it must lie two levels below the root. */
export async function buildServer(outfile = SERVER_BUNDLE): Promise<void> {
  await build({
    entryPoints: [path.join(root, 'src', 'server', 'main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    legalComments: 'none',
    logLevel: 'warning',
    plugins: [sourceMetaUrl(outfile)],
  });
}

/**
 * The arguments `npm start` gives node (package.json: its V8 flags, then dist/server/main.mjs), with the bundle
 * replaced by `bundle` when given — for the start benchmark and the test of the built server, so that they run
 * what `npm start` runs.
 */
export function startArgs(bundle?: string): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const [program, ...args] = pkg.scripts.start.trim().split(/\s+/);
  const at = args.indexOf(path.relative(root, SERVER_BUNDLE).split(path.sep).join('/'));
  if (program !== 'node' || at < 0) throw new Error(`package.json's start script is not \`node … dist/server/main.mjs\`: ${pkg.scripts.start}`);
  if (bundle) args[at] = bundle;
  return args;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const t0 = performance.now();
  await buildServer();
  console.log(`server: ${path.relative(process.cwd(), SERVER_BUNDLE)} (${(fs.statSync(SERVER_BUNDLE).size / 1e6).toFixed(1)} MB) in ${Math.round(performance.now() - t0)} ms`);
}
