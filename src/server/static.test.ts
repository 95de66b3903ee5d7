/**
 * Static delivery of the web app: hashed assets cached for a year, index.html never, the build's brotli and
 * gzip copies sent to browsers that accept them, no source maps, build metadata (the vite manifest) not served.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../../test/helpers/app.ts';

let ctx: TestContext;
const SCRIPT = `console.log(${JSON.stringify('Trygg '.repeat(300))});`;
const webDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trygg-web-'));

beforeAll(async () => {
  fs.mkdirSync(path.join(webDir, 'assets'));
  fs.mkdirSync(path.join(webDir, '.vite'));
  fs.writeFileSync(path.join(webDir, 'index.html'), '<!doctype html><title>Trygg</title>');
  fs.writeFileSync(path.join(webDir, 'assets', 'main-abc123.js'), SCRIPT);
  // What the build writes (scripts/vite-compress.ts): a brotli and a gzip copy of each compressible file.
  for (const file of ['assets/main-abc123.js', 'index.html']) {
    const data = fs.readFileSync(path.join(webDir, file));
    fs.writeFileSync(path.join(webDir, `${file}.br`), zlib.brotliCompressSync(data));
    fs.writeFileSync(path.join(webDir, `${file}.gz`), zlib.gzipSync(data));
  }
  // A source map left in the folder by mistake is still not served.
  fs.writeFileSync(path.join(webDir, 'assets', 'main-abc123.js.map'), '{"sources":["secret-source.ts"]}');
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
  it('sends the brotli copy to a browser that accepts brotli, gzip to one that accepts only gzip', async () => {
    const br = await ctx.app.inject({ method: 'GET', url: '/assets/main-abc123.js', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toMatch(/javascript/);
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(zlib.brotliDecompressSync(br.rawPayload).toString()).toBe(SCRIPT);

    const gz = await ctx.app.inject({ method: 'GET', url: '/assets/main-abc123.js', headers: { 'accept-encoding': 'gzip, deflate' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(zlib.gunzipSync(gz.rawPayload).toString()).toBe(SCRIPT);

    const plain = await ctx.app.inject({ method: 'GET', url: '/assets/main-abc123.js', headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(SCRIPT);
  });
  it('compresses index.html too, uncached, also as the page for any address', async () => {
    for (const url of ['/', '/arenden/123', '/incidenter?vy=karta']) {
      const res = await ctx.app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'br' } });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-encoding']).toBe('br');
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(zlib.brotliDecompressSync(res.rawPayload).toString()).toContain('<title>Trygg</title>');
    }
  });
  it('serves no source maps and no compressed copy by its own name', async () => {
    for (const url of ['/assets/main-abc123.js.map', '/assets/other.js.map', '/main.js.map', '/assets/main-abc123.js.br', '/index.html.gz']) {
      const res = await ctx.app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'br, gzip' } });
      expect(res.statusCode, url).toBe(404);
      expect(res.body).not.toContain('secret-source');
    }
  });
  it('answers a missing asset with 404, not with index.html', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/assets/main-old999.js' });
    expect(res.statusCode).toBe(404);
    expect(res.body).not.toContain('<title>Trygg</title>');
  });
  it('does not serve build metadata', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/.vite/manifest.json' });
    expect(res.body).not.toContain('secret-build-detail');
  });
});
