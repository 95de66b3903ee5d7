// The JavaScript a first visit downloads (issue #10, web): at most 200 kB gzip. Runs on the dist/ that
// scripts/test.mjs builds before the tests; without a build (no manifest) it fails, it does not skip.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_DIST, FIRST_VISIT_PAGES, GOAL_BYTES, firstVisitJs } from '../../scripts/bundle-size.mjs';

describe('first-visit JavaScript', () => {
  it('is at most 200 kB gzip in the built web app', () => {
    const r = firstVisitJs();
    const manifest = JSON.parse(fs.readFileSync(path.join(DEFAULT_DIST, '.vite', 'manifest.json'), 'utf8'));
    // The entry chunk is counted, and pages other than the first ones are not (they are chunks of their own).
    expect(r.chunks.map((c) => c.file)).toContain(manifest['index.html'].file);
    const lazyPages = Object.entries<{ file: string; isDynamicEntry?: boolean }>(manifest).filter(
      ([key, c]) => c.isDynamicEntry && !FIRST_VISIT_PAGES.includes(key),
    );
    expect(lazyPages.length).toBeGreaterThan(10);
    expect(GOAL_BYTES).toBe(200_000);
    expect(r.gzip).toBeGreaterThan(0);
    expect(r.gzip).toBeLessThanOrEqual(GOAL_BYTES);
  });

  describe('the computation', () => {
    let dir: string;
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    function fakeBuild(files: Record<string, string>, manifest: Record<string, unknown>) {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trygg-bundle-'));
      fs.mkdirSync(path.join(dir, 'dist', '.vite'), { recursive: true });
      fs.mkdirSync(path.join(dir, 'dist', 'assets'), { recursive: true });
      fs.mkdirSync(path.join(dir, 'web', 'pages'), { recursive: true });
      for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, 'dist', name), text);
      fs.writeFileSync(path.join(dir, 'dist', '.vite', 'manifest.json'), JSON.stringify(manifest));
      fs.writeFileSync(path.join(dir, 'web', 'pages', 'SignIn.tsx'), '');
      fs.writeFileSync(path.join(dir, 'web', 'pages', 'Eager.tsx'), '');
    }
    const gz = (s: string) => zlib.gzipSync(Buffer.from(s), { level: 9 }).length;

    it('counts the entry, its static imports transitively and a lazy first page, not other lazy pages or CSS', () => {
      const text = (n: string) => `console.log(${JSON.stringify(n.repeat(50))});`;
      fakeBuild(
        {
          'assets/index.js': text('entry'),
          'assets/vendor.js': text('vendor'),
          'assets/deep.js': text('deep'),
          'assets/signin.js': text('signin'),
          'assets/shared.js': text('shared'),
          'assets/other.js': text('other'),
          'assets/index.css': 'body{}',
        },
        {
          'index.html': { file: 'assets/index.js', isEntry: true, imports: ['_vendor.js'], css: ['assets/index.css'], dynamicImports: ['pages/SignIn.tsx', 'pages/Other.tsx'] },
          '_vendor.js': { file: 'assets/vendor.js', imports: ['_deep.js'] },
          '_deep.js': { file: 'assets/deep.js', imports: ['_vendor.js'] },
          'pages/SignIn.tsx': { file: 'assets/signin.js', isDynamicEntry: true, imports: ['_shared.js', 'index.html'] },
          '_shared.js': { file: 'assets/shared.js' },
          'pages/Other.tsx': { file: 'assets/other.js', isDynamicEntry: true, imports: ['_vendor.js'] },
          '_index.css': { file: 'assets/index.css' },
        },
      );
      const r = firstVisitJs(path.join(dir, 'dist'), ['pages/SignIn.tsx', 'pages/Eager.tsx'], path.join(dir, 'web'));
      expect(r.chunks.map((c) => c.file).sort()).toEqual(['assets/deep.js', 'assets/index.js', 'assets/shared.js', 'assets/signin.js', 'assets/vendor.js']);
      expect(r.gzip).toBe(['entry', 'vendor', 'deep', 'signin', 'shared'].reduce((n, s) => n + gz(text(s)), 0));
    });

    it('fails without a manifest, and when a first page named in the script no longer exists', () => {
      fakeBuild({ 'assets/index.js': 'x' }, { 'index.html': { file: 'assets/index.js', isEntry: true } });
      expect(() => firstVisitJs(path.join(dir, 'dist'), ['pages/Moved.tsx'], path.join(dir, 'web'))).toThrow(/Moved\.tsx/);
      fs.rmSync(path.join(dir, 'dist', '.vite'), { recursive: true });
      expect(() => firstVisitJs(path.join(dir, 'dist'), [], path.join(dir, 'web'))).toThrow(/manifest/i);
    });
  });
});
