import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { ERROR_STATUS, type ApiErrorBody, type ErrorCode } from '../../shared/errors.ts';
import { AppError } from '../lib/errors.ts';
import type { App } from '../lib/http.ts';
import { localeOf, t } from '../lib/i18n.ts';

/**
 * Unreadable URLs (bad percent-encoding, over-long path parameters) are bad input: our error shape, not
 * Fastify's. Passed to Fastify({ frameworkErrors }).
 */
export function frameworkErrors(_err: unknown, req: FastifyRequest, reply: FastifyReply) {
  const body: ApiErrorBody = {
    error: { code: 'VALIDATION_FAILED', message: t(localeOf(req.headers['accept-language']), 'errors.VALIDATION_FAILED'), requestId: req.id },
  };
  return reply.code(400).type('application/json').send(body);
}

/** Errors: one shape, stable codes, Swedish messages, never a stack trace. Call on the root instance. */
export function registerErrorHandler(app: App) {
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
      const repeated = err.validationContext === 'querystring' ? repeatedParams(req.query) : new Set<string>();
      let repeatedFailed = false;
      fields = err.validation.map((v) => {
        const parts = String(v.instancePath ?? '').split('/').filter(Boolean);
        // A refinement may name the whole answer's code (a page too deep, a period too long: list limits).
        const named = (v.params as IssueParams)?.params?.code;
        if (named && named in ERROR_STATUS && code === 'VALIDATION_FAILED') code = named as ErrorCode;
        if (repeated.has(parts[0])) repeatedFailed = true;
        return {
          path: [err.validationContext, ...parts].join('.'),
          message: repeated.has(parts[0]) ? t(locale, 'validation.single') : validationMessage(locale, v.keyword, v.params as IssueParams, v.message),
        };
      });
      // A filter given more than once (?status=a&status=b…, or 500 of them): no list takes a filter twice.
      if (repeatedFailed && code === 'VALIDATION_FAILED') code = 'TOO_MANY_FILTERS';
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
}

type IssueParams = { maximum?: unknown; minimum?: unknown; format?: string; expected?: string; origin?: string; params?: { i18n?: string; code?: string } } | undefined;

/** Query parameters given more than once (the query parser makes them arrays). */
function repeatedParams(query: unknown): Set<string> {
  if (!query || typeof query !== 'object') return new Set();
  return new Set(Object.entries(query).filter(([, v]) => Array.isArray(v)).map(([k]) => k));
}

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

