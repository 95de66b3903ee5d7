import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { DEMO_PASSWORD } from '../../src/server/seed/seed.ts';
import type { TestApp } from './app.ts';
import { signIn as signInCookie } from './factories.ts';

/**
 * Shared HTTP helpers for the route tests: calls through app.inject with a session cookie, and checks of
 * the API's error body ({ error: { code, message, fields? } }, message in Swedish).
 *
 * Typical use in a route test, where the app is built in beforeAll:
 *
 *   const { call, ok, fails, upload } = api(() => ctx.app, { created: (method) => method === 'POST' });
 *   const item = await ok(coordinator, 'POST', '/api/things', { … });      // 201 (created) or 200
 *   await fails(reader, 'PATCH', `/api/things/${item.id}`, { … }, 403, 'FORBIDDEN');
 *
 * or with a client that carries its own cookie:
 *
 *   const coordinator = await signInAs(ctx.app, 'samordnare@lund.example');
 *   expectError(await coordinator.post('/api/things', {}), 400, 'VALIDATION_FAILED');
 */
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export interface ErrorBody {
  code: string;
  message: string;
  fields?: { path: string; message: string }[];
}

/**
 * Asserts an API error: the status, the stable code and a message with words in it (Swedish letters
 * allowed). Returns the error for further checks (fields, wording).
 */
export function expectError(res: LightMyRequestResponse, status: number, code: string): ErrorBody {
  expect(res.statusCode, res.body).toBe(status);
  const body = res.json();
  expect(body.error.code).toBe(code);
  expect(body.error.message).toMatch(/[a-zåäö]/i);
  return body.error as ErrorBody;
}

/** A multipart/form-data body with one file in the part "file" (and optional text fields before it). */
export function multipartFile(filename: string, content: Buffer, type = 'application/octet-stream', fields: Record<string, string> = {}) {
  const boundary = 'b' + randomBytes(8).toString('hex');
  return {
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat([
      ...Object.entries(fields).map(([name, value]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`),
      content,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
  };
}

/**
 * Request helpers on an app (given lazily: test files build it in beforeAll). A cookie of `undefined`
 * sends no session (anonymous). `created` says which successful calls answer 201 rather than 200
 * when `ok` is not told the status.
 */
export function api(app: () => TestApp, opts: { created?: (method: Method, url: string) => boolean } = {}) {
  const call = (cookie: string | undefined, method: Method, url: string, payload?: object) =>
    app().inject({ method, url, payload, headers: cookie ? { cookie } : {} });
  /** The call must succeed with `status` (default 201 when `created`, else 200); returns the JSON body. */
  async function ok<T = Record<string, any>>(cookie: string | undefined, method: Method, url: string, payload?: object, status?: number): Promise<T> {
    const res = await call(cookie, method, url, payload);
    const want = status ?? (opts.created?.(method, url) ? 201 : 200);
    if (res.statusCode !== want) throw new Error(`${method} ${url} → ${res.statusCode} ${res.body}`);
    return res.json() as T;
  }
  /** The call must fail with `status` and `code` (see expectError); returns the error. */
  async function fails(cookie: string | undefined, method: Method, url: string, payload: object | undefined, status: number, code: string) {
    return expectError(await call(cookie, method, url, payload), status, code);
  }
  /** POSTs one file as multipart/form-data (part "file"). */
  const upload = (cookie: string | undefined, url: string, filename: string, content: Buffer, type?: string) => {
    const m = multipartFile(filename, content, type);
    return app().inject({ method: 'POST', url, payload: m.payload, headers: { ...m.headers, ...(cookie ? { cookie } : {}) } });
  };
  return { call, ok, fails, upload };
}

/** A signed-in user: its cookie and request methods that carry it. */
export interface Client {
  email: string;
  cookie: string;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, payload?: object): Promise<LightMyRequestResponse>;
  put(url: string, payload?: object): Promise<LightMyRequestResponse>;
  patch(url: string, payload?: object): Promise<LightMyRequestResponse>;
  delete(url: string, payload?: object): Promise<LightMyRequestResponse>;
}

/** Signs in through the API (demo password unless given) and returns a client carrying the session. */
export async function signInAs(app: TestApp, email: string, password = DEMO_PASSWORD): Promise<Client> {
  const cookie = await signInCookie(app, email, password);
  const send = (method: Method) => (url: string, payload?: object) => app.inject({ method, url, payload, headers: { cookie } });
  return { email, cookie, get: (url) => send('GET')(url), post: send('POST'), put: send('PUT'), patch: send('PATCH'), delete: send('DELETE') };
}
