import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorResponse } from '../../shared/schemas/common.ts';

/** The Fastify instance as modules see it: zod schemas for params, query, body and response. */
export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression<RawServerDefault>,
  RawReplyDefaultExpression<RawServerDefault>,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** Error responses every route may give, for the OpenAPI document. */
export const errorResponses = {
  400: errorResponse,
  401: errorResponse,
  403: errorResponse,
  404: errorResponse,
  409: errorResponse,
  429: errorResponse,
} as const;

/** Policy resolver for routes whose subject is the organisation in `:id`. */
export const orgFromParam = (req: { params: unknown }) => (req.params as { id?: string }).id;

/**
 * The rate limit of a public route (no account): `max` requests a minute per client address, each answer
 * telling the client its budget (X-RateLimit-Limit, -Remaining, -Reset), as a public API does. Routes behind
 * sign-in have the app-wide limit (app.ts), whose headers are sent only with a refusal: Trygg's own pages do
 * not read them, and three headers on every answer cost each request time for nothing.
 */
export const rateLimitOfPublicRoute = (max: number) => ({
  max,
  timeWindow: '1 minute',
  addHeadersOnExceeding: { 'x-ratelimit-limit': true, 'x-ratelimit-remaining': true, 'x-ratelimit-reset': true },
});
