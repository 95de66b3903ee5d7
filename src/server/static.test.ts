/**
 * Static delivery of the web app: hashed assets cached for a year, index.html never, build metadata
 * (the vite manifest) not served.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../../test/helpers/app.ts';

let ctx: TestContext;
const webDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trygg-web-'));

beforeAll(async () => {
  fs.mkdirSync(path.join(webDir, 'assets'));
  fs.mkdirSync(path.join(webDir, '.vite'));
  fs.writeFileSync(path.join(webDir, 'index.html'), '<!doctype html><title>Trygg</title>');
  fs.writeFileSync(path.join(webDir, 'assets', 'main-abc123.js'), 'console.log(1)');
  fs.writeFileSync(path.join(webDir, '.vite', 'manifest.json'), '{"secret-build-detail":true}');
  ctx = await createTestApp({ seed: false, webDir });
});
afterAll(async () => {
  await ctx?.close();
  fs.rmSync(webDir, { recursive: true, force: true });
});

describe('static delivery', () => {
  it('caches hashed assets for a year as immutable', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/assets/main-abc123.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });
  it('never caches index.html, also for a page address', async () => {
    for (const url of ['/', '/arenden/123']) {
      const res = await ctx.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('<title>Trygg</title>');
      expect(res.headers['cache-control']).toBe('no-cache');
    }
  });
  it('does not serve build metadata', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/.vite/manifest.json' });
    expect(res.body).not.toContain('secret-build-detail');
  });
});
