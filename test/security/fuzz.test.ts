/**
 * Fuzz test (issue #3, item 6): drives every registered route with seeded pseudo-random malformed
 * input — in path params, query and body — as an administrator (so requests reach the handlers) and
 * anonymously. Fails on any 5xx, on anything that looks like a stack trace or a server file path in
 * a response, and on an /api error that is not our JSON error shape with a stable code.
 * Afterwards the data must be intact and the audit chain must verify.
 *
 * Reproduce a failure with the seed it prints: FUZZ_SEED=<seed> npx vitest run test/security/fuzz.test.ts
 * FUZZ_ROUNDS raises the number of requests per route and principal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestContext } from '../helpers/app.ts';
import { createOrganisation, createUser, orgId, signIn } from '../helpers/factories.ts';
import { usersRepo } from '../../src/server/modules/users/users.repo.ts';
import { verifyAuditChain } from '../../src/server/lib/audit.ts';
import { ERROR_STATUS } from '../../src/shared/errors.ts';
import { expectError } from '../helpers/http.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20_260_301);
const ROUNDS = { admin: Number(process.env.FUZZ_ROUNDS ?? 40), anonymous: Math.ceil(Number(process.env.FUZZ_ROUNDS ?? 40) / 3) };

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)],
    chance: (p: number) => next() < p,
  };
}
type Rng = ReturnType<typeof prng>;

// --- Nasty values ---

const HUGE = 'å'.repeat(100_000);
const ODD_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  'Namn\u0000; DROP TABLE organisations',
  '\ud800', // lone high surrogate
  'x\udc00y', // lone low surrogate
  '\u202eRTL-överstyrning\u202c',
  '\u200f\u200e\u2066isolerad\u2069',
  '🚒🔥👩‍🚒🏳️‍🌈',
  'e\u0301\u0301\u0301\u0308\u0308 Zalgơ̸̢̗',
  '\ufeffBOM',
  '\uffff\ufffe',
  '\t\n\r\u000b\u000c',
  "'; DROP TABLE users; --",
  "' OR '1'='1",
  '1; SELECT pg_sleep(5)',
  "Robert'); DELETE FROM audit_log; --",
  '%00%27%22',
  '../../../../etc/passwd',
  '<script>alert(1)</script>',
  '{{constructor.constructor("return process")()}}',
  '${jndi:ldap://x}',
  '__proto__',
  'Ångström Östen Ärlig',
  HUGE,
  'x'.repeat(201),
  'a@b',
  'not-an-email',
  'TRUE',
  '2026-02-30',
  '9999-99-99',
];
const BAD_UUIDS = [
  'not-a-uuid',
  '00000000-0000-0000-0000-000000000000',
  '00000000-0000-4000-8000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '123',
  '-1',
  'ZZZZZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZZZZZZZZZ',
  "00000000-0000-0000-0000-000000000000' OR '1'='1",
  '{00000000-0000-4000-8000-000000000000}',
  '00000000000040008000000000000000',
  'x'.repeat(199),
  'x'.repeat(260),
];
const ODD_NUMBERS = [-1, 0, -0, 1.5, -2_147_483_649, 2_147_483_648, 2 ** 53 + 1, Number.MAX_SAFE_INTEGER, -Number.MAX_VALUE, Number.MAX_VALUE, 1e-300];
const ODD_VALUES: unknown[] = [null, true, false, [], {}, [null], { $ne: null }, { __proto__: { admin: true } }, [1, 'a', {}], ...ODD_NUMBERS];
const MALFORMED_JSON = [
  '{',
  '}',
  '{"a":',
  '{"a":1,}',
  "{'a':1}",
  '[',
  'nul',
  'undefined',
  '{"a":NaN}',
  '{"a":1e999}',
  '{"version":-1e999}',
  '\ufeff{}',
  '{"a":"\\ud800"}',
  '{"a":"\\u0000"}',
  '{"__proto__":{"isAdmin":true}}',
  '{"constructor":{"prototype":{"x":1}}}',
  `{"a":${'['.repeat(5000)}${']'.repeat(5000)}}`,
  '"just a string"',
  '12345',
  'true',
  'null',
  '[]',
  '\u0000',
];
const CONTENT_TYPES = [
  'text/plain',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=----fuzz',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'application/octet-stream',
  'application/vnd.api+json',
  'application/json, text/plain',
  ';;;',
];

function oddString(rng: Rng): string {
  const base = rng.pick(ODD_STRINGS);
  return rng.chance(0.3) ? base + rng.pick(ODD_STRINGS).slice(0, 1000) : base;
}
function oddValue(rng: Rng): unknown {
  switch (rng.int(4)) {
    case 0:
      return oddString(rng);
    case 1:
      return rng.pick(BAD_UUIDS);
    case 2:
      return rng.pick(ODD_NUMBERS);
    default:
      return rng.pick(ODD_VALUES);
  }
}

/** Percent-encodes UTF-8 bytes (encodeURIComponent throws on lone surrogates; this does not). */
function encode(s: string) {
  return [...Buffer.from(s, 'utf8')]
    .map((b) => (/[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`))
    .join('');
}

// --- Valid-looking samples from the OpenAPI document, so mutations reach deep into handlers ---

type JsonSchema = {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minLength?: number;
  minimum?: number;
  default?: unknown;
};
interface Operation {
  parameters?: { in: string; name: string; schema: JsonSchema; required?: boolean }[];
  requestBody?: { content?: Record<string, { schema: JsonSchema }> };
}

let realIds: string[] = [];

function sample(schema: JsonSchema | undefined, rng: Rng, key = ''): unknown {
  if (!schema) return undefined;
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return rng.pick(schema.enum);
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return sample(variants.find((v) => v.type !== 'null') ?? variants[0], rng, key);
  const type = Array.isArray(schema.type) ? (schema.type.find((t) => t !== 'null') ?? 'null') : schema.type;
  switch (type) {
    case 'object':
      return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, s]) => [k, sample(s, rng, k)]));
    case 'array':
      return [sample(schema.items, rng, key)];
    case 'boolean':
      return rng.chance(0.5);
    case 'integer':
    case 'number':
      return Math.max(schema.minimum ?? 1, 1);
    case 'null':
      return null;
    case 'string':
      if (schema.format === 'uuid') return rng.pick(realIds);
      if (schema.format === 'email' || /email/i.test(key)) return `fuzz-${rng.int(1e9)}@test.example`;
      if (schema.format === 'date') return '2026-03-01';
      if (/password/i.test(key)) return 'Fuzz-lösenord-2026!';
      if (key === 'token') return 'a'.repeat(43);
      return 'Fuzzad text'.padEnd(schema.minLength ?? 0, 'x');
    default:
      return 'x';
  }
}

/** One mutation of a body: wrong types, missing and extra fields, odd strings, odd numbers. */
function mutateBody(body: unknown, rng: Rng): unknown {
  if (rng.chance(0.1)) return oddValue(rng); // not even an object
  const obj: Record<string, unknown> = body && typeof body === 'object' && !Array.isArray(body) ? { ...(body as object) } : {};
  const keys = Object.keys(obj);
  if (keys.length && rng.chance(0.35)) {
    // One odd string in an otherwise valid body: this is what reaches the database.
    obj[rng.pick(keys)] = oddString(rng);
    return obj;
  }
  const steps = 1 + rng.int(3);
  for (let i = 0; i < steps; i++) {
    const key = keys.length ? rng.pick(keys) : 'x';
    switch (rng.int(6)) {
      case 0:
        delete obj[key]; // missing field
        break;
      case 1:
        obj[rng.pick(['extra', '__proto__', 'constructor', 'isAdmin', 'id', 'role', oddString(rng).slice(0, 50)])] = oddValue(rng); // extra field
        break;
      case 2:
        obj[key] = oddString(rng); // odd text, right or wrong type
        break;
      case 3:
        obj[key] = rng.pick(BAD_UUIDS);
        break;
      case 4:
        obj[key] = rng.pick(ODD_NUMBERS);
        break;
      default:
        obj[key] = rng.pick(ODD_VALUES); // wrong type
    }
  }
  return obj;
}

interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
  malformedUrl?: boolean;
}

function buildRequest(route: { method: string; url: string }, op: Operation | undefined, rng: Rng): FuzzRequest {
  let malformedUrl = false;
  // Path params: real ids (to reach the handler) or junk.
  let path = route.url.replace(/:(\w+)/g, () => {
    const roll = rng.int(10);
    if (roll < 3) return rng.pick(realIds);
    if (roll < 4) {
      malformedUrl = true;
      return rng.pick(['%', '%E0%A4%A', '%ZZ', '%C0%80', '%ED%A0%80']);
    }
    const value = encode(rng.chance(0.5) ? rng.pick(BAD_UUIDS) : oddString(rng).slice(0, 300));
    if (value.length > 200) malformedUrl = true; // over the router's parameter limit: refused before sign-in is looked at
    return value;
  });
  if (path.endsWith('*')) path = path.slice(0, -1) + encode(oddString(rng).slice(0, 300)).replace(/%2F/g, '/');

  // Query: the declared parameters with odd values, plus strangers.
  const query: string[] = [];
  for (const p of op?.parameters?.filter((x) => x.in === 'query') ?? []) {
    const roll = rng.int(4);
    if (roll === 0) continue;
    const value = roll === 1 ? sample(p.schema, rng, p.name) : oddValue(rng);
    query.push(`${encode(p.name)}=${encode(typeof value === 'string' ? value.slice(0, 20_000) : JSON.stringify(value) ?? '')}`);
    if (rng.chance(0.1)) query.push(`${encode(p.name)}=${encode(String(rng.pick(ODD_NUMBERS)))}`); // repeated key → array
  }
  if (rng.chance(0.3)) query.push(`${encode(oddString(rng).slice(0, 100))}=${encode(String(oddValue(rng)).slice(0, 1000))}`);
  if (rng.chance(0.05)) query.push(rng.pick(['a[b]=1', 'limit[]=1', '%', '&&&', '=']));
  const url = path + (query.length ? `?${query.join('&')}` : '');

  const headers: Record<string, string> = {};
  if (rng.chance(0.1)) headers['accept-language'] = rng.pick(['en', 'sv-SE', "';--", 'x'.repeat(500), '*']);
  if (rng.chance(0.05)) headers['x-request-id'] = rng.pick(['../../etc', 'a'.repeat(100), 'ok-request-id-1']);

  if (route.method === 'GET' && !rng.chance(0.1)) return { method: route.method, url, headers, malformedUrl };

  const schema = op?.requestBody?.content?.['application/json']?.schema;
  const roll = rng.int(20);
  let payload: string | Buffer | undefined;
  if (roll < 3) {
    headers['content-type'] = 'application/json';
    payload = rng.pick(MALFORMED_JSON);
  } else if (roll < 5) {
    headers['content-type'] = rng.pick(CONTENT_TYPES);
    payload = rng.chance(0.5) ? JSON.stringify(sample(schema, rng)) : oddString(rng);
  } else if (roll === 5) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify({ big: 'x'.repeat(1024 * 1024 + 10) }); // over the body limit
  } else if (roll === 6) {
    headers['content-type'] = 'application/json';
    payload = Buffer.from([0xff, 0xfe, 0x7b, 0x00, 0xc3, 0x28, 0x7d]); // invalid UTF-8
  } else if (roll === 7) {
    payload = undefined; // no body at all
  } else if (roll === 8) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(sample(schema, rng) ?? {}); // well-formed: should pass or fail cleanly
  } else {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(mutateBody(sample(schema, rng), rng));
  }
  return { method: route.method, url, headers, payload, malformedUrl };
}

// --- Checks on every response ---

const STACK_PATTERNS = [
  /\bat (?:async )?[\w$.<>[\] ]+ \(/, // "at fn (" frames
  /\n\s+at /,
  /[\w/\\-]+\.(?:ts|js|mjs|cjs):\d+(?::\d+)?/, // file:line
  /node_modules/,
  /\/src\/server\//,
  /\b(?:TypeError|ReferenceError|RangeError|SyntaxError|AssertionError|DatabaseError|ZodError|Error): /,
  /\bFST_ERR_\w+/,
];

function problemsOf(route: { url: string }, req: FuzzRequest, res: { statusCode: number; headers: Record<string, unknown>; body: string }, anonymousDenied: boolean) {
  const out: string[] = [];
  const status = res.statusCode;
  if (status >= 500) out.push(`status ${status}`);
  const isDocs = route.url.startsWith('/api/docs') || route.url === '/api/openapi.json';
  const ct = String(res.headers['content-type'] ?? '');
  if (status >= 400 || (!isDocs && ct.includes('json'))) {
    for (const p of STACK_PATTERNS) if (p.test(res.body)) out.push(`body looks like an internal error (${p}): ${res.body.slice(0, 300)}`);
  }
  if (status >= 400 && req.url.startsWith('/api')) {
    if (!ct.includes('application/json')) out.push(`error without JSON content type (${ct})`);
    else {
      try {
        const body = JSON.parse(res.body) as { error?: { code?: string; message?: string; requestId?: string } };
        const code = body.error?.code as keyof typeof ERROR_STATUS | undefined;
        if (!code || !(code in ERROR_STATUS)) out.push(`unknown error code ${code}`);
        else if (ERROR_STATUS[code] !== status) out.push(`code ${code} with status ${status}`);
        if (!body.error?.message) out.push('error without message');
      } catch {
        out.push(`error body is not JSON: ${res.body.slice(0, 200)}`);
      }
    }
  }
  if (anonymousDenied) {
    // A stranger gets 401 — or a refusal that happens before anyone is identified (unreadable body, no such URL).
    if (status >= 200 && status < 400) out.push(`anonymous got ${status} on a non-public route`);
    const code = status >= 400 ? (JSON.parse(res.body) as { error: { code: string } }).error.code : '';
    const early = ['UNAUTHENTICATED', 'INVALID_JSON', 'UNSUPPORTED_MEDIA_TYPE', 'BODY_TOO_LARGE', 'NOT_FOUND'];
    if (status >= 400 && !early.includes(code) && !req.malformedUrl) out.push(`anonymous got ${code} instead of 401`);
  }
  return out;
}

const describeRequest = (r: FuzzRequest) =>
  `${r.method} ${r.url.slice(0, 200)}${r.url.length > 200 ? `…(${r.url.length})` : ''} ${JSON.stringify(r.headers)} ${
    r.payload === undefined ? '' : String(r.payload).slice(0, 200) + (String(r.payload).length > 200 ? `…(${String(r.payload).length})` : '')
  }`;

// --- The run ---

let ctx: TestContext;
let adminCookie: string;
let openapi: { paths: Record<string, Record<string, Operation>> };

const count = async (table: 'organisations' | 'users') =>
  (await ctx.database.db.execute<{ n: number }>(sql.raw(`select count(*)::int as n from ${table}`))).rows[0].n;

beforeAll(async () => {
  // Sign-in is rate limited per address; the fuzzer fails it on purpose, many times.
  ctx = await createTestApp({ env: { LOGIN_RATE_LIMIT: '1000' } });
  adminCookie = await signIn(ctx.app, 'admin@lund.example');
  const son = await orgId(ctx.database, 'son');
  // Targets the fuzzer may legitimately change: never the admin's own account or the seeded tree's spine.
  const unit = await createOrganisation(ctx.database, { parentId: son, name: 'Fuzzenheten' });
  const victim = await createUser(ctx.database, { homeOrganisationId: son });
  const grant = await usersRepo.insertGrant(ctx.database.db, { userId: victim.id, organisationId: unit.id, role: 'reader', includeSubtree: false });
  realIds = [son, unit.id, victim.id, grant!.id];
  openapi = (await ctx.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
});
afterAll(() => ctx?.close());

describe(`fuzz (seed ${SEED})`, () => {
  // Every route × 40 + 14 requests: the time grows with the API, so this test has a budget of its own (below).
  it('covers every registered route and survives malformed input without a 5xx or a leak', async () => {
    console.log(`fuzz seed ${SEED} (reproduce: FUZZ_SEED=${SEED} npx vitest run test/security/fuzz.test.ts)`);
    const orgsBefore = await count('organisations');
    const usersBefore = await count('users');
    let created = { organisations: 0, users: 0 };
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let requests = 0;

    const routes = ctx.app.registeredRoutes;
    expect(routes.length).toBeGreaterThan(20);
    for (const [index, route] of routes.entries()) {
      const op = openapi.paths[route.url.replace(/:(\w+)/g, '{$1}')]?.[route.method.toLowerCase()];
      const isPublic = !route.policy || 'public' in route.policy;
      for (const who of ['admin', 'anonymous'] as const) {
        // One stream per route and principal: a route added later does not change the others' inputs.
        const rng = prng(SEED ^ Math.imul(index + 1, 0x9e3779b1) ^ (who === 'admin' ? 0 : 0x5bd1e995));
        for (let i = 0; i < ROUNDS[who]; i++) {
          const req = buildRequest(route, op, rng);
          if (who === 'admin') {
            // Requests that end sessions get a session of their own.
            const own = route.url === '/api/auth/sign-out' || route.url === '/api/auth/password';
            req.headers.cookie = own ? await signIn(ctx.app, 'admin@lund.example') : adminCookie;
          } else if (rng.chance(0.2)) {
            req.headers.cookie = rng.pick(['trygg_session=', `trygg_session=${'x'.repeat(500)}`, 'trygg_session=%00', `trygg_session=${encode("'; --")}`]);
          }
          const res = await ctx.app.inject({ method: req.method as 'GET', url: req.url, headers: req.headers, payload: req.payload });
          requests++;
          statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
          if (res.statusCode === 201 && route.method === 'POST' && route.url === '/api/organisations') created.organisations++;
          if (res.statusCode === 201 && route.method === 'POST' && route.url === '/api/users') created.users++;
          for (const p of problemsOf(route, req, res, who === 'anonymous' && !isPublic))
            failures.push(`[${who} #${i}] ${route.method} ${route.url}: ${p}\n    request: ${describeRequest(req)}`);
        }
      }
      // The admin's session must survive everything the fuzzer did to other routes.
      const me = await ctx.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: adminCookie } });
      if (me.statusCode !== 200) {
        failures.push(`admin session lost after fuzzing ${route.method} ${route.url}: ${me.statusCode}`);
        adminCookie = await signIn(ctx.app, 'admin@lund.example');
      }
    }
    console.log(`fuzz: ${requests} requests; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}; created ${JSON.stringify(created)}`);
    expect(failures.slice(0, 30).join('\n')).toBe('');

    // The fuzzer reached the handlers, not only the validators.
    expect([...statuses.keys()].some((s) => s >= 200 && s < 300)).toBe(true);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(routes.length);

    // Data intact: nothing vanished, nothing appeared except through a successful create.
    expect(await count('organisations')).toBe(orgsBefore + created.organisations);
    expect(await count('users')).toBe(usersBefore + created.users);
    for (const key of ['lund', 'son', 'tn', 'polisen']) await orgId(ctx.database, key);
    const lund = await ctx.database.db.execute<{ name: string; active: boolean }>(sql`select name, active from organisations where key = 'lund'`);
    expect(lund.rows[0]).toEqual({ name: 'Lunds kommun', active: true });
    const verify = await verifyAuditChain(ctx.database.db);
    expect(verify).toMatchObject({ ok: true });
    expect(verify.checked).toBeGreaterThan(0);
  }, 600_000);

  it('rejects NUL characters in text fields with a Swedish validation message, before the database', async () => {
    const son = await orgId(ctx.database, 'son');
    // The fuzzer may have switched the admin's language; this test reads the Swedish messages.
    await ctx.app.inject({ method: 'PUT', url: '/api/auth/locale', headers: { cookie: adminCookie }, payload: { locale: 'sv' } });
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/organisations',
      headers: { cookie: adminCookie },
      payload: { type: 'unit', name: 'Enhet\u0000X', shortName: 'E\u0000', parentId: son },
    });
    expect(res.statusCode).toBe(400);
    const error = res.json().error;
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.fields).toEqual(
      expect.arrayContaining([
        { path: 'body.name', message: expect.stringMatching(/otillåtna tecken/) },
        { path: 'body.shortName', message: expect.stringMatching(/otillåtna tecken/) },
      ]),
    );
    const user = await ctx.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { cookie: adminCookie },
      payload: { email: 'nul@test.example', name: 'Nul\u0000Person', homeOrganisationId: son },
    });
    expect(user.statusCode).toBe(400);
    expect(user.json().error.fields).toEqual([{ path: 'body.name', message: expect.stringMatching(/otillåtna tecken/) }]);
  });

  it('maps a data error PostgreSQL raises (NUL in a search) to 400, not 500', async () => {
    // Free-text search is not a stored text field: the database refuses the NUL, wrapped by Drizzle.
    const res = await ctx.app.inject({ method: 'GET', url: '/api/users?q=a%00b', headers: { cookie: adminCookie } });
    expectError(res, 400, 'VALIDATION_FAILED');
  });

  it('answers unreadable URLs in its own error shape', async () => {
    for (const url of ['/api/users/%E0%A4%A', `/api/organisations/${'x'.repeat(300)}`]) {
      const res = await ctx.app.inject({ method: 'GET', url, headers: { cookie: adminCookie } });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/\S/) });
      expect(res.body).not.toMatch(/FST_ERR/);
    }
  });
});
