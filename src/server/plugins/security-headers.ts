import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * Helmet's security headers (Content-Security-Policy, Strict-Transport-Security, X-Content-Type-Options …) on
 * every response, worked out once at start.
 *
 * @fastify/helmet builds the helmet middleware anew on every request (parsing the CSP directives each time) in
 * two async hooks. Our options are fixed (no nonces, no directive computed per request), so the middleware
 * sets the same headers on every response: here it runs once against a recorder, and a synchronous hook sets
 * what it recorded on each response, the way helmet does (on the raw response, before anything else). The
 * test (security-headers.test.ts) compares the headers with @fastify/helmet's on the same options.
 */
export function helmetHeaders(options: Readonly<HelmetOptions>): { set: [string, string][]; remove: string[] } {
  const directives = (options.contentSecurityPolicy as { directives?: Record<string, unknown> } | undefined)?.directives ?? {};
  for (const [name, value] of Object.entries(directives)) {
    if (typeof value === 'function' || (Array.isArray(value) && value.some((v) => typeof v === 'function'))) {
      throw new Error(`CSP directive ${name} is computed per request: the headers cannot be worked out once`);
    }
  }
  const set = new Map<string, string>();
  const remove: string[] = [];
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      set.set(name, String(value));
    },
    removeHeader(name: string) {
      set.delete(name);
      remove.push(name);
    },
  };
  let finished = false;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (err?: unknown) => {
    if (err) throw err;
    finished = true;
  });
  if (!finished) throw new Error('helmet did not finish synchronously');
  return { set: [...set], remove };
}

/** Registers the headers on the root instance (every route, the not-found handler and refusals included). */
export function registerSecurityHeaders(app: FastifyInstance, options: Readonly<HelmetOptions>) {
  const { set, remove } = helmetHeaders(options);
  app.addHook('onRequest', (_req, reply, done) => {
    const raw = reply.raw;
    for (const name of remove) raw.removeHeader(name);
    for (const [name, value] of set) raw.setHeader(name, value);
    done();
  });
}
