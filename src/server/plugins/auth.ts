import type { FastifyRequest } from 'fastify';
import type { App } from '../lib/http.ts';
import type { Actor } from '../lib/policies.ts';
import { setOrgTreeVersion } from '../lib/context.ts';

type Authenticated = { actor: Actor; treeVersion?: number } | { expired: true } | null | undefined;

/** What authentication needs from the users module: a session cookie's actor, or that it expired. */
export interface Authenticator {
  /** `treeVersion`: the organisation tree's version, read with the session (lib/context.ts's cache). */
  authenticate(cookie: string | undefined): Authenticated | Promise<Authenticated>;
}

const expiredSession = Symbol('expired');
type WithExpiry = FastifyRequest & { [expiredSession]?: boolean };

/** The session cookie had expired (the policy plugin answers SESSION_EXPIRED instead of UNAUTHENTICATED). */
export const sessionExpired = (req: FastifyRequest) => !!(req as WithExpiry)[expiredSession];

/**
 * Authentication: on every /api/ request the session cookie becomes req.actor. Called on the root
 * instance (not encapsulated), so the hook covers every route. Needs @fastify/cookie registered first.
 */
export function registerAuthentication(app: App, { auth, cookieName }: { auth: Authenticator; cookieName: string }) {
  // A callback rather than an async function: a session kept in memory is answered without a promise
  // (auth.service.ts), and the request goes on in the same tick.
  app.addHook('onRequest', (req, _reply, done) => {
    if (!req.url.startsWith('/api/')) return done();
    let result: ReturnType<Authenticator['authenticate']>;
    try {
      result = auth.authenticate(req.cookies[cookieName]);
    } catch (err) {
      return done(err as Error);
    }
    if (result instanceof Promise) {
      result.then((r) => {
        apply(req, r);
        done();
      }, done);
    } else {
      apply(req, result);
      done();
    }
  });
}

function apply(req: FastifyRequest, result: Authenticated) {
  if (result && 'expired' in result) (req as WithExpiry)[expiredSession] = true;
  else if (result) {
    req.actor = result.actor;
    setOrgTreeVersion(req, result.treeVersion);
  }
}
