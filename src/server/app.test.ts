import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../../test/helpers/app.ts';

type Schema = { type?: string; properties?: Record<string, Schema>; required?: string[] };
interface Operation {
  summary?: string;
  tags?: string[];
  parameters?: { in: string; name: string; required?: boolean }[];
  requestBody?: { content?: Record<string, { schema: Schema }> };
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}
interface OpenApi {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components?: { securitySchemes?: Record<string, unknown> };
}

let ctx: TestContext;
let doc: OpenApi;

/** The /api routes the document must describe: everything but the documentation itself. */
const documented = () =>
  ctx.app.registeredRoutes.filter((r) => r.url.startsWith('/api/') && !r.url.startsWith('/api/docs') && r.url !== '/api/openapi.json');
const oaPath = (url: string) => url.replace(/:(\w+)/g, '{$1}');

beforeAll(async () => {
  ctx = await createTestApp({ seed: false });
  const res = await ctx.app.inject({ method: 'GET', url: '/api/openapi.json' });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/application\/json/);
  doc = res.json();
});
afterAll(() => ctx?.close());

describe('OpenAPI document', () => {
  it('is OpenAPI 3.1 with a title, a version and the session cookie as security scheme', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info.title).toBeTruthy();
    expect(doc.info.version).toBeTruthy();
    expect(doc.components?.securitySchemes).toHaveProperty('session');
  });

  it('describes every registered /api route with its method, and nothing that is not registered', () => {
    const routes = documented();
    expect(routes.length).toBeGreaterThan(15);
    const missing = routes.filter((r) => !doc.paths[oaPath(r.url)]?.[r.method.toLowerCase()]).map((r) => `${r.method} ${r.url}`);
    expect(missing).toEqual([]);
    const registered = new Set(ctx.app.registeredRoutes.map((r) => `${r.method.toLowerCase()} ${oaPath(r.url)}`));
    const stale = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`)).filter((k) => !registered.has(k));
    expect(stale).toEqual([]);
  });

  it('gives every operation a summary, a tag, its path parameters, a 2xx schema and error schemas', () => {
    const problems: string[] = [];
    for (const r of documented()) {
      const key = `${r.method} ${r.url}`;
      const op = doc.paths[oaPath(r.url)][r.method.toLowerCase()];
      if (!op.summary) problems.push(`${key}: no summary`);
      if (!op.tags?.length) problems.push(`${key}: no tag`);
      for (const name of [...r.url.matchAll(/:(\w+)/g)].map((m) => m[1]))
        if (!op.parameters?.some((p) => p.in === 'path' && p.name === name && p.required)) problems.push(`${key}: path parameter ${name} not declared`);

      const responses = op.responses ?? {};
      const ok = Object.keys(responses).filter((s) => /^2\d\d$/.test(s));
      if (!ok.length) problems.push(`${key}: no 2xx response`);
      for (const s of ok) if (!responses[s].content?.['application/json']?.schema) problems.push(`${key}: ${s} has no JSON schema`);

      const isPublic = !r.policy || 'public' in r.policy;
      const errors = ['400', ...(isPublic ? [] : ['401', '403']), '404', '429'];
      for (const s of errors) {
        const schema = responses[s]?.content?.['application/json']?.schema;
        if (!schema) {
          problems.push(`${key}: no ${s} schema`);
          continue;
        }
        const error = schema.properties?.error;
        if (!error?.properties?.code || !error.properties.message) problems.push(`${key}: ${s} is not the error shape`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('describes request bodies for the routes that read one', () => {
    const withBody = [
      'POST /api/auth/sign-in',
      'POST /api/auth/password',
      'POST /api/auth/set-password',
      'PUT /api/auth/locale',
      'POST /api/users',
      'PATCH /api/users/:id',
      'POST /api/users/:id/roles',
      'POST /api/organisations',
      'PATCH /api/organisations/:id',
      'POST /api/organisations/:id/move',
      'POST /api/organisations/:id/active',
    ];
    for (const key of withBody) {
      const [method, url] = key.split(' ');
      const schema = doc.paths[oaPath(url)]?.[method.toLowerCase()]?.requestBody?.content?.['application/json']?.schema;
      expect(schema?.type, key).toBe('object');
      expect(schema?.required?.length ?? 0, key).toBeGreaterThan(0);
    }
    // Sign-in's body says what it needs; the password never appears as an example or default.
    const signIn = doc.paths['/api/auth/sign-in'].post.requestBody!.content!['application/json'].schema;
    expect(signIn.required).toEqual(expect.arrayContaining(['email', 'password']));
    expect(JSON.stringify(doc)).not.toMatch(/Trygg-demo-2026/);
  });
});

describe('API documentation page', () => {
  it('serves HTML at /api/docs with its assets from this server (no CDN)', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/docs' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toMatch(/swagger-ui/i);
    const refs = [...res.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(0);
    expect(refs.filter((u) => /^(https?:)?\/\//.test(u))).toEqual([]);
    for (const ref of refs.filter((u) => !u.startsWith('data:'))) {
      const url = new URL(ref, 'http://localhost/api/docs/').pathname;
      const asset = await ctx.app.inject({ method: 'GET', url });
      expect(asset.statusCode, url).toBe(200);
    }
    // The page points the UI at our document.
    const init = await ctx.app.inject({ method: 'GET', url: '/api/docs/static/swagger-initializer.js' });
    expect(init.statusCode).toBe(200);
    const json = await ctx.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(json.json().openapi).toBe(doc.openapi);
  });
});

describe('errors', () => {
  it('answers an unknown /api path with a JSON 404 in Swedish', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/finns-inte' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toMatchObject({ code: 'NOT_FOUND', message: 'Sidan eller resursen finns inte.' });
    expect(res.json().error.requestId).toBe(res.headers['x-request-id'] ?? res.json().error.requestId);
  });

  it('answers malformed JSON, a wrong content type and a too large body with stable codes', async () => {
    const cases = [
      { headers: { 'content-type': 'application/json' }, payload: '{"email":', status: 400, code: 'INVALID_JSON' },
      { headers: { 'content-type': 'application/xml' }, payload: '<email/>', status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
      { headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ email: 'x'.repeat(2 * 1024 * 1024) }), status: 413, code: 'BODY_TOO_LARGE' },
    ];
    for (const c of cases) {
      const res = await ctx.app.inject({ method: 'POST', url: '/api/auth/sign-in', headers: c.headers, payload: c.payload });
      expect(res.statusCode, c.code).toBe(c.status);
      expect(res.json().error.code).toBe(c.code);
      expect(res.json().error.message).toMatch(/[a-zåäö]/i);
    }
  });
});

describe('the app-wide rate limit', () => {
  it('answers without rate-limit headers while under the limit, and refuses above it with Retry-After and the limit', async () => {
    const limited = await createTestApp({ seed: false, env: { API_RATE_LIMIT: '10' } });
    try {
      const answers = [];
      for (let i = 0; i < 11; i++) answers.push(await limited.app.inject({ method: 'GET', url: '/api/openapi.json' }));
      expect(answers.map((r) => r.statusCode)).toEqual([...Array(10).fill(200), 429]);
      for (const r of answers.slice(0, 10)) expect(Object.keys(r.headers).filter((h) => h.startsWith('x-ratelimit'))).toEqual([]);
      const refused = answers[10];
      expect(refused.json().error.code).toBe('RATE_LIMITED');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(refused.headers['x-ratelimit-limit']).toBe('10');
      expect(refused.headers['x-ratelimit-remaining']).toBe('0');
    } finally {
      await limited.close();
    }
  });
});
