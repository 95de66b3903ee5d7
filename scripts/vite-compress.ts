/**
 * A vite plugin that writes a brotli (.br) and a gzip (.gz) copy next to every compressible file of the
 * build (scripts, styles, index.html, SVG, JSON, fonts that are not already compressed), so the server
 * sends them as they are (@fastify/static's `preCompressed`) instead of compressing on every request.
 * A copy is written only when it is smaller than the file. Uses node:zlib only.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Plugin } from 'vite';

const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|txt|xml|ttf|otf|wasm|webmanifest)$/i;
/** Smaller than this, the response headers cost more than compression saves. */
const MIN_BYTES = 1024;

function* filesUnder(dir: string): Generator<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue; // build metadata (.vite/manifest.json) is not served
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(full);
    else if (entry.isFile()) yield full;
  }
}

/** Compresses the files in `dir`; returns how many bytes were written and how many the originals had. */
export function precompress(dir: string) {
  let original = 0;
  let brotli = 0;
  let gzip = 0;
  for (const file of filesUnder(dir)) {
    if (!COMPRESSIBLE.test(file)) continue;
    const data = fs.readFileSync(file);
    if (data.length < MIN_BYTES) continue;
    const br = zlib.brotliCompressSync(data, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length,
        [zlib.constants.BROTLI_PARAM_MODE]: /\.(ttf|otf|wasm)$/i.test(file) ? zlib.constants.BROTLI_MODE_GENERIC : zlib.constants.BROTLI_MODE_TEXT,
      },
    });
    const gz = zlib.gzipSync(data, { level: zlib.constants.Z_BEST_COMPRESSION });
    original += data.length;
    if (br.length < data.length) {
      fs.writeFileSync(`${file}.br`, br);
      brotli += br.length;
    }
    if (gz.length < data.length) {
      fs.writeFileSync(`${file}.gz`, gz);
      gzip += gz.length;
    }
  }
  return { original, brotli, gzip };
}

export function compressPlugin(): Plugin {
  let outDir = '';
  return {
    name: 'trygg-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      const t0 = Date.now();
      const { original, brotli, gzip } = precompress(outDir);
      const kB = (n: number) => `${(n / 1000).toFixed(0)} kB`;
      this.info?.(`precompressed ${kB(original)} → brotli ${kB(brotli)}, gzip ${kB(gzip)} in ${Date.now() - t0} ms`);
    },
  };
}
