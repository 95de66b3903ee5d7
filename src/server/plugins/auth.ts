import type { FastifyRequest } from 'fastify';
import type { App } from '../lib/http.ts';
import type { Actor } from '../lib/policies.ts';
import { setOrgTreeVersion } from '../lib/context.ts';

/** What authentication needs from the users module: a session cookie's actor, or that it expired. */
export interface Authenticator {
  /** `treeVersion`: the organisation tree's version, read with the session (lib/context.ts's cache). */
  authenticate(cookie: string | undefined): Promise<{ actor: Actor; treeVersion?: number } | { expired: true } | null | undefined>;
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
  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api/')) return;
    const result = await auth.authenticate(req.cookies[cookieName]);
    if (result && 'expired' in result) (req as WithExpiry)[expiredSession] = true;
    else if (result) {
      req.actor = result.actor;
      setOrgTreeVersion(req, result.treeVersion);
    }
  });
}
