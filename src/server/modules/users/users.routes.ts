import { z } from 'zod';
import { idParams, okResponse } from '../../../shared/schemas/common.ts';
import {
  changePassword,
  createUser,
  grantRole,
  me,
  setLocale,
  setPasswordWithToken,
  signIn,
  updateUser,
  user,
  userList,
  userListQuery,
} from '../../../shared/schemas/users.ts';
import { contextOf, requireActor } from '../../lib/context.ts';
import { AppError } from '../../lib/errors.ts';
import { errorResponses, type App } from '../../lib/http.ts';
import type { AuthService } from './auth.service.ts';
import type { UserService } from './users.service.ts';
import { sessionPolicies, userPolicies } from './users.policy.ts';

export const SESSION_COOKIE = 'trygg_session';

export interface UserRouteDeps {
  auth: AuthService;
  users: UserService;
  secureCookies: boolean;
}

export function authRoutes(app: App, { auth, secureCookies }: UserRouteDeps) {
  const tags = ['Inloggning'];
  const sessionActor = (req: Parameters<typeof requireActor>[0]) =>
    requireActor(req) as ReturnType<typeof requireActor> & { locale: string; expiresAt: Date };

  app.post(
    '/api/auth/sign-in',
    {
      config: { policy: sessionPolicies.signIn },
      schema: { tags, summary: 'Logga in', body: signIn, response: { 200: me, ...errorResponses } },
    },
    async (req, reply) => {
      try {
        const { token, cookieExpiresAt } = await auth.signIn(contextOf(req), req.body.email, req.body.password, req.headers['user-agent']);
        reply.setCookie(SESSION_COOKIE, token, {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          secure: secureCookies,
          expires: cookieExpiresAt,
        });
        const result = await auth.authenticate(token);
        if (!result || !('actor' in result) || !result.actor) throw new AppError('UNAUTHENTICATED');
        return auth.me(result.actor);
      } catch (err) {
        const retry = (err as { retryAfter?: number }).retryAfter;
        if (retry) reply.header('retry-after', String(retry));
        throw err;
      }
    },
  );

  app.post(
    '/api/auth/sign-out',
    {
      config: { policy: sessionPolicies.own },
      schema: { tags, summary: 'Logga ut', response: { 200: okResponse, ...errorResponses } },
    },
    async (req, reply) => {
      await auth.signOut(contextOf(req), requireActor(req).sessionId);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true as const };
    },
  );

  app.get(
    '/api/auth/me',
    {
      config: { policy: sessionPolicies.own },
      schema: { tags, summary: 'Inloggad användare, roller och tillåtna åtgärder', response: { 200: me, ...errorResponses } },
    },
    async (req) => auth.me(sessionActor(req)),
  );

  app.post(
    '/api/auth/password',
    {
      config: { policy: sessionPolicies.own },
      schema: { tags, summary: 'Byt lösenord', body: changePassword, response: { 200: okResponse, ...errorResponses } },
    },
    async (req) => {
      await auth.changePassword(contextOf(req), requireActor(req), req.body.currentPassword, req.body.newPassword);
      return { ok: true as const };
    },
  );

  app.post(
    '/api/auth/set-password',
    {
      config: { policy: sessionPolicies.withToken },
      schema: { tags, summary: 'Välj lösenord med en inbjudningslänk', body: setPasswordWithToken, response: { 200: okResponse, ...errorResponses } },
    },
    async (req) => {
      await auth.setPasswordWithToken(contextOf(req), req.body.token, req.body.newPassword);
      return { ok: true as const };
    },
  );

  app.put(
    '/api/auth/locale',
    {
      config: { policy: sessionPolicies.own },
      schema: { tags, summary: 'Välj språk', body: setLocale, response: { 200: okResponse, ...errorResponses } },
    },
    async (req) => {
      await auth.setLocale(contextOf(req), requireActor(req), req.body.locale);
      return { ok: true as const };
    },
  );
}

export function userRoutes(app: App, { users }: UserRouteDeps) {
  const tags = ['Användare'];
  const policies = userPolicies(users);

  app.get(
    '/api/users',
    {
      config: { policy: policies.list },
      schema: { tags, summary: 'Lista användare (inom din behörighet)', querystring: userListQuery, response: { 200: userList, ...errorResponses } },
    },
    async (req) => users.list(requireActor(req), req.query),
  );

  app.get(
    '/api/users/:id',
    {
      config: { policy: policies.read },
      schema: { tags, summary: 'Hämta användare', params: idParams, response: { 200: user, ...errorResponses } },
    },
    async (req) => users.get(requireActor(req), req.params.id),
  );

  app.post(
    '/api/users',
    {
      config: { policy: policies.create },
      schema: { tags, summary: 'Skapa eller bjud in användare', body: createUser, response: { 201: user, ...errorResponses } },
    },
    async (req, reply) => reply.code(201).send(await users.create(contextOf(req), requireActor(req), req.body)),
  );

  app.patch(
    '/api/users/:id',
    {
      config: { policy: policies.update },
      schema: { tags, summary: 'Ändra, avaktivera eller återaktivera användare', params: idParams, body: updateUser, response: { 200: user, ...errorResponses } },
    },
    async (req) => users.update(contextOf(req), requireActor(req), req.params.id, req.body),
  );

  app.post(
    '/api/users/:id/roles',
    {
      config: { policy: policies.grant },
      schema: { tags, summary: 'Tilldela roll på en organisation', params: idParams, body: grantRole, response: { 200: user, ...errorResponses } },
    },
    async (req) => users.grantRole(contextOf(req), requireActor(req), req.params.id, req.body),
  );

  app.delete(
    '/api/users/:id/roles/:grantId',
    {
      config: {
        policy: policies.revoke,
      },
      schema: {
        tags,
        summary: 'Ta bort roll',
        params: z.object({ id: z.uuid(), grantId: z.uuid() }),
        response: { 200: user, ...errorResponses },
      },
    },
    async (req) => users.revokeRole(contextOf(req), requireActor(req), req.params.id, req.params.grantId),
  );
}
