import type { ModuleDefinition, ModuleDeps } from '../../lib/module.ts';
import { createAuthService, type AuthService } from './auth.service.ts';
import { createUserService } from './users.service.ts';
import { authRoutes, SESSION_COOKIE, userRoutes } from './users.routes.ts';
import { usersRepo } from './users.repo.ts';

export { SESSION_COOKIE, usersRepo, type AuthService };
export { hashPassword, hashToken, newToken } from './users.service.ts';

/**
 * Users, role grants, sign-in and sessions. Besides its routes it hands the app its one AuthService:
 * the authentication plugin turns the session cookie into req.actor with it (one instance, because the
 * sign-in rate limit lives in it).
 */
export function usersModule({ db, database, config }: ModuleDeps): ModuleDefinition & { auth: AuthService } {
  const auth = createAuthService({
    db,
    changes: database.changes,
    idleMinutes: config.SESSION_IDLE_MINUTES,
    maxHours: config.SESSION_MAX_HOURS,
    loginRateLimit: config.LOGIN_RATE_LIMIT,
  });
  const users = createUserService({ db, publicUrl: config.PUBLIC_URL });
  const routeDeps = { auth, users, secureCookies: config.PUBLIC_URL.startsWith('https:') };
  return {
    name: 'users',
    auth,
    routes(app) {
      authRoutes(app, routeDeps);
      userRoutes(app, routeDeps);
    },
  };
}
