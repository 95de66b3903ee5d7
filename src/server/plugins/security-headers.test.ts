import Fastify, { type FastifyInstance } from 'fastify';
import fastifyHelmet from '@fastify/helmet';
import { describe, expect, it } from 'vitest';
import { helmetOptions } from '../app.ts';
import { loadConfig } from '../config.ts';
import { helmetHeaders, registerSecurityHeaders } from './security-headers.ts';

/** The headers a response carries, without those that change from one response to the next. */
const headersOf = (res: { headers: Record<string, unknown> }) => {
  const { date: _date, connection: _connection, 'content-length': _length, ...rest } = res.headers;
  return rest;
};

async function answers(app: FastifyInstance) {
  app.get('/ok', async () => ({ ok: true }));
  app.get('/fails', async () => {
    throw Object.assign(new Error('no'), { statusCode: 403 });
  });
  await app.ready();
  return Promise.all(['/ok', '/fails', '/missing'].map(async (url) => headersOf(await app.inject({ url }))));
}

describe('security headers', () => {
  for (const env of [{}, { PUBLIC_URL: 'https://trygg.lund.example', MAP_TILE_URL: 'https://tiles.example/{z}/{x}/{y}.png' }]) {
    it(`are the ones @fastify/helmet sets, on answers, errors and 404s (${env.PUBLIC_URL ?? 'http'})`, async () => {
      const options = helmetOptions(loadConfig({ NODE_ENV: 'test', SEED_DEMO: 'false', ...env }));
      const theirs = Fastify();
      await theirs.register(fastifyHelmet, options as never);
      const ours = Fastify();
      registerSecurityHeaders(ours, options);
      const expected = await answers(theirs);
      expect(await answers(ours)).toEqual(expected);
      expect(expected[0]['content-security-policy']).toMatch(/default-src 'self'/);
      expect(expected[0]['x-content-type-options']).toBe('nosniff');
      expect(!!expected[0]['strict-transport-security']).toBe(!!env.PUBLIC_URL);
      await theirs.close();
      await ours.close();
    });
  }

  it('refuses a CSP directive computed per request (it cannot be worked out once)', () => {
    expect(() => helmetHeaders({ contentSecurityPolicy: { directives: { scriptSrc: ["'self'", () => "'nonce-x'"] } } })).toThrow(/computed per request/);
  });
});
