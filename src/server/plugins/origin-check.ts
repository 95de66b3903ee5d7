import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import { AppError } from '../lib/errors.ts';

/**
 * Cross-site request forgery: a state-changing request to the API (POST, PUT, PATCH, DELETE — with a
 * JSON body, a multipart form or no body at all) must come from Trygg's own pages. The session cookie is
 * SameSite=Lax, which already keeps it off cross-site POSTs in current browsers; this check is the second
 * line for browsers and situations where Lax does not hold (older browsers, a sibling site on the same
 * registrable domain, the two minutes Chrome grants a fresh cookie, public endpoints without a cookie
 * such as the remiss reply form).
 *
 * The request's `Origin` header (else the origin of its `Referer`) must be one of:
 *  - the origin of PUBLIC_URL (the address users reach Trygg on), or
 *  - the request's own origin, `${protocol}://${host}` as Fastify sees it (with TRUST_PROXY, from
 *    X-Forwarded-Proto and X-Forwarded-Host), so that Trygg also works on the address it was reached on.
 * `Sec-Fetch-Site: cross-site` is refused whatever the other headers say; `Origin: null` (sandboxed frames,
 * file: pages, cross-site redirects) is refused too.
 *
 * A request with neither Origin nor Referer is let through: browsers always send Origin on cross-site
 * POSTs (and on every cross-origin request that uses PUT, PATCH or DELETE, which in any case needs a CORS
 * preflight Trygg never grants), so such a request does not come from a page on another site. It comes
 * from a program — an API client, a script, a test using app.inject — which must hold a session cookie or
 * a personal link of its own to do anything.
 */
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface OriginCheckOptions {
  /** PUBLIC_URL from the configuration. */
  publicUrl: string;
}

/** The origin of a URL (scheme, host and non-default port), or undefined if it is not an http(s) URL. */
export function originOf(value: string | undefined): string | undefined {
  if (!value || !URL.canParse(value)) return undefined;
  const url = new URL(value);
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : undefined;
}

const header = (req: FastifyRequest, name: string) => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/** Why a request is refused as cross-site, or undefined when it may go on. */
export function crossSiteReason(req: FastifyRequest, publicOrigin: string | undefined): string | undefined {
  if (header(req, 'sec-fetch-site')?.trim().toLowerCase() === 'cross-site') return 'sec-fetch-site';
  const origin = header(req, 'origin');
  const referer = header(req, 'referer');
  if (origin === undefined && referer === undefined) return undefined;
  const claimed = origin !== undefined ? originOf(origin.trim()) : originOf(referer?.trim());
  if (!claimed) return origin !== undefined ? 'origin unreadable' : 'referer unreadable';
  if (claimed === publicOrigin) return undefined;
  if (claimed === originOf(`${req.protocol}://${req.host}`)) return undefined;
  return origin !== undefined ? 'origin' : 'referer';
}

const originCheckPlugin: FastifyPluginAsync<OriginCheckOptions> = async (app: FastifyInstance, opts) => {
  const publicOrigin = originOf(opts.publicUrl);
  // Synchronous (a callback, not a promise): it runs on every request.
  app.addHook('onRequest', (req, _reply, done) => {
    if (!STATE_CHANGING.has(req.method) || !req.url.startsWith('/api/')) return done();
    const reason = crossSiteReason(req, publicOrigin);
    if (!reason) return done();
    req.log.warn({ reason, origin: header(req, 'origin'), referer: header(req, 'referer'), secFetchSite: header(req, 'sec-fetch-site') }, 'cross-site request refused');
    done(new AppError('CROSS_SITE_REQUEST'));
  });
};

// Not encapsulated (what fastify-plugin does): the hook applies to every route of the app.
(originCheckPlugin as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;

export const originCheck = originCheckPlugin;
