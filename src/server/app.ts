import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import cookie from '@fastify/cookie';
import type { HelmetOptions } from 'helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { createSerializerCompiler } from './lib/serializer.ts';
import type { Config } from './config.ts';
import { createFileStore } from './lib/filestore.ts';
import { registerUploads } from './lib/uploads.ts';
import type { Database } from './db/client.ts';
import { AppError } from './lib/errors.ts';
import { addMessages } from './lib/i18n.ts';
import type { App } from './lib/http.ts';
import type { ExportKind } from './lib/exports.ts';
import { checkContributions, collectContributions, type Contributions, type ModuleDefinition, type ModuleDeps } from './lib/module.ts';
import { registerAuthentication } from './plugins/auth.ts';
import { registerOrgTreeCache } from './lib/context.ts';
import { registerPolicyCheck, registerPolicyEnforcement } from './plugins/policy.ts';
import { frameworkErrors, registerErrorHandler } from './plugins/errors.ts';
import { organisationsModule } from './modules/organisations/index.ts';
import { SESSION_COOKIE, usersModule } from './modules/users/index.ts';
import { auditModule } from './modules/audit/index.ts';
import { adminModule } from './modules/admin/index.ts';
import { healthModule } from './modules/health/index.ts';
import { exportsModule } from './modules/exports/index.ts';
import { programModule } from './modules/program/index.ts';
import { incidentsModule } from './modules/incidents/index.ts';
import { casesModule, installDecisionEffects } from './modules/cases/index.ts';
import { documentSearchPart, documentsModule } from './modules/documents/index.ts';
import { originCheck } from './plugins/origin-check.ts';
import { registerSecurityHeaders } from './plugins/security-headers.ts';
import { sharesModule } from './modules/shares/index.ts';
import { agendaModule } from './modules/agenda/index.ts';
import { notificationsModule } from './modules/notifications/index.ts';

export interface AppDeps {
  config: Config;
  database: Database;
  /** Directory of the built SPA; serving is skipped when it does not exist (API-only tests). */
  webDir?: string;
  logger?: boolean | object;
}

/**
 * The modules, in the order their routes are added. Each is a folder with an `index.ts` whose factory
 * declares what it contributes (routes, jobs, export kinds, recurring jobs, decision effects); this list
 * is the only place they are wired in. `users` comes back with the AuthService the auth plugin uses.
 */
export function buildModules(deps: ModuleDeps) {
  const users = usersModule(deps);
  const modules: ModuleDefinition[] = [
    organisationsModule(deps),
    users,
    auditModule(deps),
    adminModule(deps),
    healthModule(deps),
    exportsModule(deps),
    programModule(deps),
    incidentsModule(deps),
    // The governing-document register adds its part to the registry search.
    casesModule(deps, { searchParts: [documentSearchPart] }),
    documentsModule(deps),
    sharesModule(deps),
    agendaModule(deps),
    notificationsModule(deps),
  ];
  return { modules, auth: users.auth };
}

/** Helmet's options: the CSP allows the map tiles' origins besides Trygg's own. */
export function helmetOptions(config: Config): HelmetOptions {
  return {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:', ...[config.MAP_TILE_URL, config.MAP_WMTS_URL].filter(Boolean).map((u) => new URL(u.replace(/\{[a-z]\}/g, 'x')).origin)],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    hsts: config.PUBLIC_URL.startsWith('https:'),
  };
}

export async function buildApp(deps: AppDeps) {
  const { config, database } = deps;
  const app = Fastify({
    logger:
      deps.logger ??
      (config.LOG_LEVEL === 'silent'
        ? false
        : { level: config.LOG_LEVEL, redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'] }),
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && /^[\w-]{8,64}$/.test(incoming) ? incoming : randomUUID();
    },
    requestIdHeader: false,
    bodyLimit: 1024 * 1024,
    trustProxy: config.TRUST_PROXY,
    routerOptions: { maxParamLength: 200 },
    frameworkErrors,
  }).withTypeProvider<ZodTypeProvider>() as unknown as App;

  app.setValidatorCompiler(validatorCompiler);
  // Responses are written by a serializer compiled from each route's zod response schema (only what the schema
  // declares leaves the server); the test suite also checks each one against zod's own parse (lib/serializer.ts).
  app.setSerializerCompiler(createSerializerCompiler({ check: config.NODE_ENV === 'test' }));
  // Echo (or assign) the request id on every response, errors and rate-limit refusals included.
  app.addHook('onRequest', (req, reply, done) => {
    reply.header('x-request-id', req.id);
    done();
  });
  await app.register(originCheck, { publicUrl: config.PUBLIC_URL }); // state-changing API requests only from Trygg's own pages

  // --- Modules: built first (nothing is registered yet), their contributions collected and checked. ---
  const exportKinds = new Map<string, ExportKind<unknown>>();
  const moduleDeps: ModuleDeps = {
    config,
    database,
    db: database.db,
    files: createFileStore(config.FILES_DIR ?? path.join(config.DATA_DIR, 'files')),
    exportKinds,
  };
  const { modules, auth } = buildModules(moduleDeps);
  app.addHook('onClose', async () => auth.close());
  const contributions = collectContributions(modules, { exportKinds });
  await checkContributions(contributions, database.db);
  app.decorate('contributions', contributions);
  for (const { module, bundle } of contributions.messages) addMessages(module, bundle);
  // Decision effects live in the decisions hook (process-wide): installed for this app, removed when it closes.
  const uninstallEffects = installDecisionEffects(contributions.decisionEffects);
  app.addHook('onClose', async () => uninstallEffects());

  // --- Every route declares a policy; the app refuses to start otherwise (plugins/policy.ts). ---
  registerPolicyCheck(app);

  // Helmet's headers, worked out once (plugins/security-headers.ts).
  registerSecurityHeaders(app, helmetOptions(config));
  await app.register(cookie);
  // Uploads: one file per request; each route sets its own, smaller size limit (lib/uploads.ts).
  await registerUploads(app, { limits: { fileSize: 25 * 1024 * 1024, files: 1, fields: 10, parts: 11, fieldSize: 10_000 } });
  await app.register(rateLimit, {
    global: true,
    max: config.API_RATE_LIMIT,
    timeWindow: '1 minute',
    // X-RateLimit-* only with a refusal (with Retry-After); public routes send them always (lib/http.ts).
    addHeadersOnExceeding: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false },
    errorResponseBuilder: (_req, ctx) => Object.assign(new AppError('RATE_LIMITED'), { retryAfter: Math.ceil(ctx.ttl / 1000) }),
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Trygg API',
        version: '0.1.0',
        description: 'Kommunens stödsystem för trygghets- och säkerhetsarbete. Inloggning med sessionscookie (POST /api/auth/sign-in).',
      },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE } } },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  // --- Plugins: authentication (session cookie → req.actor), policy enforcement, errors. ---
  // The organisation tree is cached per app and checked with the session's own query (lib/context.ts).
  registerOrgTreeCache(app);
  registerAuthentication(app, { auth, cookieName: SESSION_COOKIE });
  registerPolicyEnforcement(app, { db: database.db });
  registerErrorHandler(app);

  // --- Module routes, in MODULES order. ---
  for (const m of modules) m.routes(app);

  app.get(
    '/api/openapi.json',
    { config: { policy: { public: true } }, schema: { hide: true } as object },
    async () => app.swagger(),
  );

  // --- The SPA: static files, and index.html for any other non-API path. ---
  // The build (scripts/vite-compress.ts) writes .br and .gz copies; `preCompressed` sends the one the browser
  // accepts (brotli first) with `Vary: Accept-Encoding`, and the file itself to a browser that accepts neither.
  const webDir = deps.webDir && fs.existsSync(path.join(deps.webDir, 'index.html')) ? path.resolve(deps.webDir) : undefined;
  if (webDir) {
    await app.register(fastifyStatic, { root: webDir, wildcard: false, index: false, serve: false, preCompressed: true });
  }
  app.setNotFoundHandler({ preHandler: undefined }, (req, reply) => {
    const isPage = req.method === 'GET' && !req.url.startsWith('/api/') && webDir;
    if (!isPage) throw new AppError('NOT_FOUND');
    const urlPath = decodeURIComponent(req.url.split('?')[0]);
    // Source maps are not published (vite builds none); a request for one, or for a compressed copy by its own
    // name, is answered 404 rather than with index.html.
    if (/\.(map|br|gz)$/i.test(urlPath)) throw new AppError('NOT_FOUND');
    const file = path.join(webDir, path.normalize(urlPath));
    // Build metadata (dist/web/.vite/manifest.json) and other dot-files are not served.
    const hidden = urlPath.split('/').some((part) => part.startsWith('.'));
    const isAsset = urlPath.startsWith('/assets/');
    if (!hidden && file.startsWith(webDir + path.sep) && fs.existsSync(file) && fs.statSync(file).isFile()) {
      // Hashed assets are cached for a year; everything else (index.html) is checked each time. sendFile's
      // own Cache-Control (max-age=0) is switched off, or it would replace ours.
      return reply
        .header('cache-control', isAsset ? 'public, max-age=31536000, immutable' : 'no-cache')
        .sendFile(path.relative(webDir, file), { cacheControl: false });
    }
    // A missing asset (an old chunk name after a new build) is a 404, not index.html: a browser would try to run
    // the page as a script and cache nothing useful.
    if (isAsset) throw new AppError('NOT_FOUND');
    return reply.header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false });
  });

  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** What the modules contribute: job handlers and recurring jobs for the runner (main.ts), export kinds. */
    contributions: Contributions;
  }
}
