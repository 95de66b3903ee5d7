import { verify } from '@node-rs/argon2';
import type { Db } from '../../db/client.ts';
import { recordAudit, type RequestContext } from '../../lib/audit.ts';
import { AppError } from '../../lib/errors.ts';
import { can, roleAllows, type Actor } from '../../lib/policies.ts';
import { loadOrgTree } from '../../lib/context.ts';
import { ACTIONS, type Role } from '../../../shared/roles.ts';
import type { Me } from '../../../shared/schemas/users.ts';
import { hashPassword, hashToken, newToken, toGrant } from './users.service.ts';
import { usersRepo } from './users.repo.ts';
import { createSessionCache } from './session-cache.ts';
import type { ChangeFeed } from '../../db/changes.ts';
import { createSignInThrottle } from './sign-in-throttle.ts';

export interface AuthOptions {
  db: Db;
  /** The database's change feed: sessions are kept in memory only while it is live (session-cache.ts). */
  changes: ChangeFeed;
  idleMinutes: number;
  maxHours: number;
  /** Failed sign-ins allowed per account and client address (and 10× that per address across accounts) before waits begin. */
  loginRateLimit: number;
}

// A real argon2id hash of a random string: unknown e-mail addresses take as long as wrong passwords.
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$6Sa28gmH6QtagdLCq7837g$zFS8dm3LkRyOuIouoZSbO82oadQFlPxP8etjqKQZ2vg';
/** Sessions are extended at most this often, not on every request. */
const TOUCH_MS = 60_000;

/** A session as read with its user, grants and the organisation tree's version (and kept in memory). */
type KeptSession = NonNullable<Awaited<ReturnType<typeof usersRepo.findSessionWithActor>>>;
/** What a session cookie gives: its actor, that it has expired, or nothing (unknown, or the user is inactive). */
type Authenticated = { actor: Actor & { locale: string; expiresAt: Date }; treeVersion?: number } | { expired: true } | undefined;

export function createAuthService(opts: AuthOptions) {
  const { db } = opts;
  const sessionCache = createSessionCache<KeptSession>({ feed: opts.changes });
  const throttle = createSignInThrottle(db, { freeFailures: opts.loginRateLimit, addressFreeFailures: opts.loginRateLimit * 10 });

  const expiryFrom = (createdAt: Date, now = Date.now()) =>
    new Date(Math.min(now + opts.idleMinutes * 60_000, createdAt.getTime() + opts.maxHours * 3_600_000));

  // Idle expiry, and the absolute cap checked on its own: a session issued under a longer
  // SESSION_MAX_HOURS (or with a stored expiry beyond the cap) must not outlive the current cap.
  const expired = (s: { expiresAt: Date; createdAt: Date }, now: number) => s.expiresAt.getTime() <= now || s.createdAt.getTime() + opts.maxHours * 3_600_000 <= now;
  const actorOf = (found: KeptSession, expiresAt: Date) => ({
    actor: {
      id: found.session.userId,
      name: found.user!.name,
      email: found.user!.email,
      sessionId: found.session.id,
      locale: found.user!.locale,
      expiresAt,
      grants: found.grants,
    },
    treeVersion: found.treeVersion,
  });
  /** The session read from the database (not kept, or kept but looking expired), or a kept one due for extension. */
  async function authenticateFromDatabase(tokenHash: string, now: number, kept: KeptSession | undefined): Promise<Authenticated> {
    let found = kept;
    if (found && expired(found.session, now)) {
      sessionCache.forget(tokenHash);
      found = undefined;
    }
    if (!found) {
      const generation = sessionCache.generation();
      found = await usersRepo.findSessionWithActor(db, tokenHash);
      if (!found) return undefined;
      if (!found.user) return undefined;
      if (expired(found.session, now)) {
        await usersRepo.deleteSession(db, found.session.id);
        return { expired: true as const };
      }
      // Shared by the requests that find it kept: nothing may change the grants of one of them.
      Object.freeze(found.grants);
      for (const g of found.grants) Object.freeze(g);
      sessionCache.fill(tokenHash, found, generation);
    }
    const { session } = found;
    let expiresAt = session.expiresAt;
    if (now - session.lastSeenAt.getTime() > TOUCH_MS) {
      expiresAt = expiryFrom(session.createdAt, now);
      // The kept copy first, so that the requests in flight meanwhile do not extend it again.
      session.lastSeenAt = new Date(now);
      session.expiresAt = expiresAt;
      await usersRepo.extendSession(db, session.id, expiresAt);
    }
    return actorOf(found, expiresAt);
  }

  return {
    async signIn(ctx: RequestContext, email: string, password: string, userAgent?: string) {
      const emailKey = email.trim().toLowerCase();
      const ipKey = ctx.ip ?? 'unknown';
      // Known or unknown account alike: the answer must not tell which addresses have accounts.
      const wait = await throttle.retryAfter(emailKey, ipKey);
      if (wait > 0) throw Object.assign(new AppError('RATE_LIMITED'), { retryAfter: wait });

      const user = await usersRepo.findByEmail(db, emailKey);
      const ok = await verify(user?.passwordHash ?? DUMMY_HASH, password).catch(() => false);
      if (!user || !user.passwordHash || !ok) {
        await throttle.fail(emailKey, ipKey);
        throw new AppError('INVALID_CREDENTIALS');
      }
      if (!user.active) throw new AppError('ACCOUNT_INACTIVE');
      await throttle.clear(emailKey, ipKey);

      const token = newToken();
      const now = new Date();
      return db.transaction(async (tx) => {
        const session = await usersRepo.insertSession(tx, {
          tokenHash: hashToken(token),
          userId: user.id,
          expiresAt: expiryFrom(now, now.getTime()),
          ip: ctx.ip ?? null,
          userAgent: userAgent?.slice(0, 500) ?? null,
        });
        await usersRepo.touch(tx, user.id, { lastLoginAt: now });
        await recordAudit(tx, { ...ctx, actor: { id: user.id, name: user.name } }, {
          entityType: 'session',
          entityId: session.id,
          action: 'sign-in',
        });
        // The cookie lives as long as the session may at most; the database decides idle expiry.
        return { token, expiresAt: session.expiresAt, cookieExpiresAt: new Date(now.getTime() + opts.maxHours * 3_600_000) };
      });
    },

    /**
     * The actor behind a session cookie, or undefined; extends the session (sliding, capped). A session kept in
     * memory that needs no extension is answered at once, without a promise (plugins/auth.ts then continues the
     * request synchronously); otherwise a promise.
     */
    authenticate(token: string | undefined): Authenticated | Promise<Authenticated> {
      if (!token || token.length > 200) return undefined;
      const tokenHash = hashToken(token);
      const now = Date.now();
      // From memory while the database's change feed says nothing changed (session-cache.ts). A kept session that
      // looks expired is read again: another instance may have extended it.
      const kept = sessionCache.get(tokenHash);
      if (kept && !expired(kept.session, now) && now - kept.session.lastSeenAt.getTime() <= TOUCH_MS) return actorOf(kept, kept.session.expiresAt);
      return authenticateFromDatabase(tokenHash, now, kept);
    },

    /** The app closes: the session cache stops following the change feed. */
    close() {
      sessionCache.close();
    },

    async signOut(ctx: RequestContext, sessionId: string) {
      await db.transaction(async (tx) => {
        await usersRepo.deleteSession(tx, sessionId);
        await recordAudit(tx, ctx, { entityType: 'session', entityId: sessionId, action: 'sign-out' });
      });
    },

    async me(actor: Actor & { locale: string; expiresAt: Date }): Promise<Me> {
      const user = await usersRepo.findById(db, actor.id);
      if (!user) throw new AppError('UNAUTHENTICATED');
      const grants = await usersRepo.grantsOf(db, [actor.id]);
      return {
        user: {
          id: user.id,
          email: user.email,
          name: user.name,
          locale: user.locale === 'en' ? 'en' : 'sv',
          mustChangePassword: user.mustChangePassword,
          homeOrganisationId: user.homeOrganisationId,
        },
        grants: grants.map(toGrant),
        actions: ACTIONS.filter((a) => actor.grants.some((g) => roleAllows(g.role, a))),
        rootActions: await (async () => {
          const tree = await loadOrgTree(db);
          return tree.rootId ? ACTIONS.filter((a) => can(actor, a, tree.rootId!, tree)) : [];
        })(),
        sessionExpiresAt: actor.expiresAt.toISOString(),
      };
    },

    async changePassword(ctx: RequestContext, actor: Actor, current: string, next: string) {
      const user = await usersRepo.findById(db, actor.id);
      if (!user?.passwordHash || !(await verify(user.passwordHash, current).catch(() => false)))
        throw new AppError('WRONG_PASSWORD');
      const passwordHash = await hashPassword(next);
      await db.transaction(async (tx) => {
        await usersRepo.touch(tx, actor.id, { passwordHash, mustChangePassword: false });
        // Other sessions of this user end: a changed password should lock out whoever knew the old one.
        await usersRepo.deleteSessionsOf(tx, actor.id, actor.sessionId);
        await recordAudit(tx, ctx, { entityType: 'user', entityId: actor.id, action: 'change-password' });
      });
    },

    async setPasswordWithToken(ctx: RequestContext, token: string, next: string) {
      const passwordHash = await hashPassword(next);
      await db.transaction(async (tx) => {
        const row = await usersRepo.findUsableToken(tx, hashToken(token), 'set-password');
        if (!row) throw new AppError('TOKEN_INVALID');
        await usersRepo.useToken(tx, row.id);
        await usersRepo.touch(tx, row.userId, { passwordHash, mustChangePassword: false });
        await usersRepo.deleteSessionsOf(tx, row.userId);
        await recordAudit(tx, ctx, { entityType: 'user', entityId: row.userId, action: 'set-password' });
      });
    },

    async setLocale(ctx: RequestContext, actor: Actor, locale: 'sv' | 'en') {
      await db.transaction(async (tx) => {
        const before = await usersRepo.findById(tx, actor.id);
        if (before?.locale === locale) return;
        await usersRepo.touch(tx, actor.id, { locale });
        await recordAudit(tx, ctx, { entityType: 'user', entityId: actor.id, action: 'set-locale', before: { locale: before?.locale }, after: { locale } });
      });
    },

    async purgeExpiredSessions() {
      await usersRepo.deleteExpiredSessions(db);
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
