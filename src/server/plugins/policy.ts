import type { FastifyRequest } from 'fastify';
import type { Db } from '../db/client.ts';
import { orgTreeOf } from '../lib/context.ts';
import { AppError } from '../lib/errors.ts';
import type { App } from '../lib/http.ts';
import { can, canSomewhere, type Policy } from '../lib/policies.ts';
import { sessionExpired } from './auth.ts';

/** Routes added by plugins we do not write (OpenAPI UI assets): they are public documentation. */
const PLUGIN_ROUTE_PREFIXES = ['/api/docs'];

/**
 * Every route declares a policy (`config.policy`, from its module's `.policy.ts`); the app refuses to
 * start otherwise. The routes and their policies are kept on `app.registeredRoutes` (the route-matrix
 * test reads them). Call before any route is added.
 */
export function registerPolicyCheck(app: App) {
  const routes: { method: string; url: string; policy: Policy | undefined }[] = [];
  app.addHook('onRoute', (route) => {
    const policy = route.config?.policy;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const fromPlugin = PLUGIN_ROUTE_PREFIXES.some((p) => route.url.startsWith(p));
    if (!policy && !fromPlugin) {
      throw new Error(`Route ${methods.join(',')} ${route.url} has no policy (config.policy). Every route must declare one.`);
    }
    for (const m of methods) if (m !== 'HEAD') routes.push({ method: m, url: route.url, policy });
  });
  app.decorate('registeredRoutes', routes);
}

/**
 * Policy enforcement, on the root instance so it covers every route: 401 before validation (a stranger
 * learns nothing about the shape of the API), the action on the organisation after validation (so
 * resolvers see valid params and body). Needs the authentication plugin registered first.
 */
export function registerPolicyEnforcement(app: App, { db }: { db: Db }) {
  // Callbacks rather than async functions: every request passes both, and most need no database.
  app.addHook('preValidation', (req, _reply, done) => {
    const policy = req.routeOptions.config?.policy;
    if (!policy || 'public' in policy || req.actor) return done();
    done(new AppError(sessionExpired(req) ? 'SESSION_EXPIRED' : 'UNAUTHENTICATED'));
  });
  app.addHook('preHandler', (req, _reply, done) => {
    const policy = req.routeOptions.config?.policy;
    if (!policy || !('action' in policy)) return done();
    if (!policy.org) return done(canSomewhere(req.actor, policy.action) ? undefined : new AppError('FORBIDDEN'));
    checkOrganisation(req, policy, db).then(() => done(), done);
  });
}

/** The action on the policy's organisation: the organisation must exist (else notFound) and the actor may act there. */
async function checkOrganisation(req: FastifyRequest, policy: Extract<Policy, { action: unknown }>, db: Db) {
  const tree = await orgTreeOf(req, db);
  const orgId = policy.org === 'root' ? (tree.rootId ?? undefined) : await policy.org!(req);
  if (!orgId || !tree.has(orgId)) throw new AppError(policy.notFound ?? 'NOT_FOUND');
  if (!can(req.actor, policy.action, orgId, tree)) throw new AppError('FORBIDDEN');
}

declare module 'fastify' {
  interface FastifyInstance {
    registeredRoutes: { method: string; url: string; policy: Policy | undefined }[];
  }
}
