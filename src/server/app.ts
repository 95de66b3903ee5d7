import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyError, type FastifyReply, type FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import {
  hasZodFastifySchemaValidationErrors,
  isResponseSerializationError,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Config } from './config.ts';
import { createFileStore } from './lib/filestore.ts';
import type { Database } from './db/client.ts';
import { AppError } from './lib/errors.ts';
import { localeOf, t } from './lib/i18n.ts';
import { can, canSomewhere, type Policy } from './lib/policies.ts';
import { orgTreeOf } from './lib/context.ts';
import { originCheck } from './plugins/origin-check.ts';
import type { App } from './lib/http.ts';
import { ERROR_STATUS, type ApiErrorBody, type ErrorCode } from '../shared/errors.ts';
import { createOrganisationService } from './modules/organisations/organisations.service.ts';
import { organisationRoutes } from './modules/organisations/organisations.routes.ts';
import { createUserService } from './modules/users/users.service.ts';
import { createAuthService, type AuthService } from './modules/users/auth.service.ts';
import { authRoutes, SESSION_COOKIE, userRoutes } from './modules/users/users.routes.ts';
import { auditRoutes } from './modules/audit/audit.routes.ts';
import { adminRoutes } from './modules/admin/admin.routes.ts';
import { healthRoutes } from './modules/health/health.routes.ts';
import { createProgramService } from './modules/program/program.service.ts';
import { programRoutes } from './modules/program/program.routes.ts';
import { createPlanImporter } from './modules/program/program.import.ts';
import { exportRoutes } from './modules/exports/exports.routes.ts';
import { createIncidentService } from './modules/incidents/incidents.service.ts';
import { incidentRoutes } from './modules/incidents/incidents.routes.ts';
import { createPoliceImporter } from './modules/incidents/incidents.police.ts';
import { createAreaService } from './modules/incidents/incidents.areas.ts';
import { createIncidentStats } from './modules/incidents/incidents.stats.ts';
import { createIncidentMap } from './modules/incidents/incidents.map.ts';
import { lagesbildRoutes } from './modules/incidents/lagesbild.routes.ts';
// cases: registry
import { createCaseService } from './modules/cases/cases.service.ts';
import { caseRoutes } from './modules/cases/cases.routes.ts';
import { createRegistrySearch, REGISTRY_SEARCH_PARTS } from './modules/cases/cases.search.ts';
import { documentSearchPart } from './modules/documents/documents.search.ts';
import { registerDocumentEffects } from './modules/documents/documents.decision-effects.ts';
// cases: decisions and dispatch (issue #5)
import { createDecisionService } from './modules/cases/cases.decisions.ts';
import { createDispatchService } from './modules/cases/cases.dispatch.ts';
import { decisionRoutes } from './modules/cases/cases.decisions.routes.ts';
// remiss
import { createRemissService } from './modules/cases/cases.remiss.ts';
import { remissRoutes } from './modules/cases/cases.remiss.routes.ts';
import { createDocumentService } from './modules/documents/documents.service.ts';
import { documentRoutes } from './modules/documents/documents.routes.ts';
import { createShareService } from './modules/shares/shares.service.ts';
import { shareRoutes } from './modules/shares/shares.routes.ts';

export interface AppDeps {
  config: Config;
  database: Database;
  /** Directory of the built SPA; serving is skipped when it does not exist (API-only tests). */
  webDir?: string;
  logger?: boolean | object;
}

/** Routes added by plugins we do not write (OpenAPI UI assets): they are public documentation. */
const PLUGIN_ROUTE_PREFIXES = ['/api/docs'];

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
    // Unreadable URLs (bad percent-encoding, over-long path parameters) are bad input: our error shape, not Fastify's.
    frameworkErrors: (_err, req, reply) => {
      const body: ApiErrorBody = {
        error: { code: 'VALIDATION_FAILED', message: t(localeOf(req.headers['accept-language']), 'errors.VALIDATION_FAILED'), requestId: req.id },
      };
      return (reply as FastifyReply).code(400).type('application/json').send(body);
    },
  }).withTypeProvider<ZodTypeProvider>() as unknown as App;

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // Echo (or assign) the request id on every response, errors and rate-limit refusals included.
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  await app.register(originCheck, { publicUrl: config.PUBLIC_URL }); // state-changing API requests only from Trygg's own pages

  // --- Every route declares a policy; the app refuses to start otherwise. ---
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

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:', ...(config.MAP_TILE_URL ? [new URL(config.MAP_TILE_URL.replace(/\{[a-z]\}/g, 'x')).origin] : [])],
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
  });
  await app.register(cookie);
  // Uploads: one file per request; each route sets its own, smaller size limit (lib/uploads.ts).
  await app.register(multipart, { limits: { fileSize: 25 * 1024 * 1024, files: 1, fields: 10, parts: 11, fieldSize: 10_000 } });
  await app.register(rateLimit, {
    global: true,
    max: config.API_RATE_LIMIT,
    timeWindow: '1 minute',
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

  // --- Authentication: the session cookie becomes req.actor. ---
  const auth: AuthService = createAuthService({
    db: database.db,
    idleMinutes: config.SESSION_IDLE_MINUTES,
    maxHours: config.SESSION_MAX_HOURS,
    loginRateLimit: config.LOGIN_RATE_LIMIT,
  });
  const expiredSession = Symbol('expired');
  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api/')) return;
    const result = await auth.authenticate(req.cookies[SESSION_COOKIE]);
    if (result && 'expired' in result) (req as FastifyRequest & { [expiredSession]?: boolean })[expiredSession] = true;
    else if (result) req.actor = result.actor;
  });
  // 401 before validation: a stranger learns nothing about the shape of the API.
  app.addHook('preValidation', async (req) => {
    const policy = req.routeOptions.config?.policy;
    if (!policy || 'public' in policy) return;
    if (!req.actor)
      throw new AppError((req as FastifyRequest & { [expiredSession]?: boolean })[expiredSession] ? 'SESSION_EXPIRED' : 'UNAUTHENTICATED');
  });
  // Authorization after validation, so resolvers see valid params and body.
  app.addHook('preHandler', async (req) => {
    const policy = req.routeOptions.config?.policy;
    if (!policy || !('action' in policy)) return;
    if (!policy.org) {
      if (!canSomewhere(req.actor, policy.action)) throw new AppError('FORBIDDEN');
      return;
    }
    const tree = await orgTreeOf(req, database.db);
    const orgId = policy.org === 'root' ? (tree.rootId ?? undefined) : await policy.org(req);
    if (!orgId || !tree.has(orgId)) throw new AppError(policy.notFound ?? 'NOT_FOUND');
    if (!can(req.actor, policy.action, orgId, tree)) throw new AppError('FORBIDDEN');
  });

  // --- Errors: one shape, stable codes, Swedish messages, never a stack trace. ---
  app.setErrorHandler((err: FastifyError | AppError, req, reply) => {
    const locale = localeOf(req.headers['accept-language'], (req.actor as { locale?: string } | undefined)?.locale);
    let code: ErrorCode;
    let fields: { path: string; message: string }[] | undefined;
    if (err instanceof AppError) {
      code = err.code;
      fields = err.fields?.map((f) => ({ path: f.path, message: fieldMessage(locale, f.message) }));
      const retry = (err as { retryAfter?: number }).retryAfter;
      if (retry) reply.header('retry-after', String(retry));
    } else if (hasZodFastifySchemaValidationErrors(err)) {
      code = 'VALIDATION_FAILED';
      fields = err.validation.map((v) => ({
        path: [err.validationContext, ...String(v.instancePath ?? '').split('/').filter(Boolean)].join('.'),
        message: validationMessage(locale, v.keyword, v.params as IssueParams, v.message),
      }));
    } else if (err.code === 'FST_ERR_RESPONSE_SERIALIZATION' && isResponseSerializationError(err)) {
      code = 'INTERNAL';
      req.log.error({ err, issues: err.cause?.issues }, 'response did not match its schema');
    } else if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') code = 'UNSUPPORTED_MEDIA_TYPE';
    else if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || err.code === 'FST_REQ_FILE_TOO_LARGE') code = 'BODY_TOO_LARGE';
    else if (err.code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') code = 'UNSUPPORTED_MEDIA_TYPE';
    else if (err.code?.startsWith('FST_ERR_CTP_') || (err.statusCode === 400 && err instanceof SyntaxError)) code = 'INVALID_JSON';
    else if (err.statusCode === 429) code = 'RATE_LIMITED';
    else if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) code = err.statusCode === 404 ? 'NOT_FOUND' : 'VALIDATION_FAILED';
    else if (pgCode(err)?.startsWith('22')) code = 'VALIDATION_FAILED';
    // Two requests raced past a service's own uniqueness check (a category key, a focus area number):
    // the database's unique index decides, and the loser gets a 409, not a 500.
    else if (pgCode(err) === '23505') code = 'ALREADY_EXISTS';
    else code = 'INTERNAL';

    const status = code === 'INTERNAL' ? 500 : (new AppError(code).status as number);
    if (status >= 500) req.log.error({ err }, 'unhandled error');
    const body: ApiErrorBody = { error: { code, message: t(locale, `errors.${code}`), requestId: req.id, ...(fields?.length ? { fields } : {}) } };
    return reply.code(status).type('application/json').send(body);
  });

  // --- Modules ---
  const db = database.db;
  /** Registry records, governing documents and remiss replies (content-addressed, checksummed). */
  const files = createFileStore(config.FILES_DIR ?? path.join(config.DATA_DIR, 'files'));
  const organisations = createOrganisationService({ db });
  const users = createUserService({ db, publicUrl: config.PUBLIC_URL });
  const routeDeps = { auth, users, secureCookies: config.PUBLIC_URL.startsWith('https:') };
  healthRoutes(app, { database });
  authRoutes(app, routeDeps);
  userRoutes(app, routeDeps);
  organisationRoutes(app, { organisations });
  auditRoutes(app, { db });
  adminRoutes(app, { db, smtpConfigured: !!config.SMTP_URL });
  programRoutes(app, { programs: createProgramService({ db }), importer: createPlanImporter({ db }), db });
  exportRoutes(app, { db });
  lagesbildRoutes(app, { db });
  incidentRoutes(app, { incidents: createIncidentService({ db }), police: createPoliceImporter({ db, config }), areas: createAreaService({ db }), stats: createIncidentStats({ db }), map: createIncidentMap({ db }), config });
  // cases: registry (the governing-document register adds its search part to createRegistrySearch's parts)
  caseRoutes(app, { cases: createCaseService({ db, files }), search: createRegistrySearch({ db, parts: [...REGISTRY_SEARCH_PARTS, documentSearchPart] }) });
  // cases: decisions and dispatch (issue #5)
  decisionRoutes(app, { decisions: createDecisionService({ db }), dispatcher: createDispatchService({ db, files }) });

  // remiss
  remissRoutes(app, { remiss: createRemissService({ db, files, config }), publicRateLimit: config.REMISS_PUBLIC_RATE_LIMIT });
  // --- Governing documents (issue #5) ---
  // Att-satser that repeal, replace or adopt a governing document change the register when decided.
  registerDocumentEffects();
  documentRoutes(app, { documents: createDocumentService({ db, files, reviewReminderDays: config.DOCUMENT_REVIEW_REMINDER_DAYS }) });
  // --- Partner sharing and secrecy markings (the access core's routes) ---
  shareRoutes(app, { shares: createShareService({ db }), db });

  app.get(
    '/api/openapi.json',
    { config: { policy: { public: true } }, schema: { hide: true } as object },
    async () => app.swagger(),
  );

  // --- The SPA: static files, and index.html for any other non-API path. ---
  const webDir = deps.webDir && fs.existsSync(path.join(deps.webDir, 'index.html')) ? path.resolve(deps.webDir) : undefined;
  if (webDir) {
    await app.register(fastifyStatic, { root: webDir, wildcard: false, index: false, serve: false });
  }
  app.setNotFoundHandler({ preHandler: undefined }, (req, reply) => {
    const isPage = req.method === 'GET' && !req.url.startsWith('/api/') && webDir;
    if (!isPage) throw new AppError('NOT_FOUND');
    const urlPath = decodeURIComponent(req.url.split('?')[0]);
    const file = path.join(webDir, path.normalize(urlPath));
    if (file.startsWith(webDir + path.sep) && fs.existsSync(file) && fs.statSync(file).isFile()) {
      const immutable = urlPath.startsWith('/assets/');
      return reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache').sendFile(path.relative(webDir, file));
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });

  return app;
}

type IssueParams = { maximum?: unknown; minimum?: unknown; format?: string; expected?: string; origin?: string; params?: { i18n?: string } } | undefined;

/** Codes services put in `fields[].message`: an error code or a validation key, shown in the user's language. */
const FIELD_CODES: Record<string, string> = {
  END_BEFORE_START: 'validation.endBeforeStart',
  REQUIRED: 'validation.required',
  INVALID: 'validation.invalid',
  ENUM: 'validation.enum',
};
function fieldMessage(locale: 'sv' | 'en', message: string) {
  if (FIELD_CODES[message]) return t(locale, FIELD_CODES[message]);
  if (/^[A-Z_]+$/.test(message) && message in ERROR_STATUS) return t(locale, `errors.${message}`);
  return message;
}

function validationMessage(locale: 'sv' | 'en', code: string, params: IssueParams, message?: string) {
  const issue = params ?? {};
  switch (code) {
    case 'custom':
      // Refinements name their message, either as .refine(fn, { params: { i18n: 'validation.…' } }) or as
      // a code message (END_BEFORE_START…); anything else is zod's English default.
      if (issue.params?.i18n?.startsWith('validation.')) return t(locale, issue.params.i18n);
      return message && fieldMessage(locale, message) !== message ? fieldMessage(locale, message) : t(locale, 'validation.invalid');
    case 'too_big':
      return issue.origin === 'number'
        ? t(locale, 'validation.max', { max: String(issue.maximum) })
        : t(locale, 'validation.tooLong', { max: String(issue.maximum) });
    case 'too_small':
      if (issue.origin === 'number') return t(locale, 'validation.min', { min: String(issue.minimum) });
      return Number(issue.minimum) <= 1 ? t(locale, 'validation.required') : t(locale, 'validation.tooShort', { min: String(issue.minimum) });
    case 'invalid_format':
      return t(locale, issue.format === 'email' ? 'validation.email' : issue.format === 'uuid' ? 'validation.uuid' : 'validation.invalid');
    case 'invalid_value':
      return t(locale, 'validation.enum');
    case 'invalid_type':
      return issue.expected === 'number' ? t(locale, 'validation.number') : t(locale, 'validation.required');
    default:
      return t(locale, 'validation.invalid');
  }
}

/**
 * Data errors PostgreSQL raises from user input that slipped past the schemas (class 22: data exception).
 * Drizzle wraps the driver's error (DrizzleQueryError), so the SQLSTATE is on a cause.
 */
function pgCode(err: unknown): string | undefined {
  for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    registeredRoutes: { method: string; url: string; policy: Policy | undefined }[];
  }
}
