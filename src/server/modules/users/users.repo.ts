import type { Actor, Grant } from '../../lib/policies.ts';
import type { Role } from '../../../shared/roles.ts';
import { and, asc, eq, gt, ilike, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { runFixed } from '../../db/helpers.ts';
import { organisations, roleGrants, sessions, users, userTokens } from '../../db/schema/index.ts';

export type UserRow = typeof users.$inferSelect;
export type GrantRow = typeof roleGrants.$inferSelect & { organisationName: string };

interface SessionActorRow {
  id: string;
  user_id: string;
  created_at: string | Date;
  last_seen_at: string | Date;
  expires_at: string | Date;
  name: string | null;
  email: string | null;
  locale: string | null;
  active: boolean | null;
  grants: { organisationId: string; role: string; includeSubtree: boolean }[];
  tree_version: number | null;
}

/** The session, its user, the user's grants and the organisation tree's version: the statement every API request starts with. */
const SESSION_WITH_ACTOR = `
  select s.id, s.user_id, s.created_at, s.last_seen_at, s.expires_at, u.name, u.email, u.locale, u.active,
    (select version from org_tree_version) as tree_version,
    case when u.active then coalesce((select json_agg(json_build_object('organisationId', g.organisation_id, 'role', g.role, 'includeSubtree', g.include_subtree))
              from role_grants g where g.user_id = s.user_id), '[]') else '[]' end as grants
  from sessions s left join users u on u.id = s.user_id
  where s.token_hash = $1`;

export const usersRepo = {
  async findById(ex: Executor, id: string): Promise<UserRow | undefined> {
    const [row] = await ex.select().from(users).where(eq(users.id, id));
    return row;
  },
  async findByEmail(ex: Executor, email: string): Promise<UserRow | undefined> {
    const [row] = await ex.select().from(users).where(sql`lower(${users.email}) = lower(${email})`);
    return row;
  },
  async list(
    ex: Executor,
    opts: { homeOrgIds: string[]; q?: string; organisationId?: string; includeInactive: boolean; limit: number; offset: number },
  ) {
    const conds: (SQL | undefined)[] = [inArray(users.homeOrganisationId, opts.homeOrgIds.length ? opts.homeOrgIds : ['00000000-0000-0000-0000-000000000000'])];
    if (!opts.includeInactive) conds.push(eq(users.active, true));
    if (opts.organisationId) conds.push(eq(users.homeOrganisationId, opts.organisationId));
    if (opts.q) {
      const like = `%${opts.q.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
      conds.push(or(ilike(users.name, like), ilike(users.email, like)));
    }
    const where = and(...conds);
    const [items, [{ total }]] = await Promise.all([
      ex.select().from(users).where(where).orderBy(asc(users.name), asc(users.id)).limit(opts.limit).offset(opts.offset),
      ex.select({ total: sql<number>`count(*)::int` }).from(users).where(where),
    ]);
    return { items, total };
  },
  async insert(ex: Executor, values: typeof users.$inferInsert) {
    const [row] = await ex.insert(users).values(values).returning();
    return row;
  },
  async update(ex: Executor, id: string, version: number, values: Partial<typeof users.$inferInsert>) {
    const [row] = await ex
      .update(users)
      .set({ ...values, version: sql`${users.version} + 1`, updatedAt: new Date() })
      .where(and(eq(users.id, id), eq(users.version, version)))
      .returning();
    return row as UserRow | undefined;
  },
  /** Changes that are not user edits (last sign-in, locale, password) do not bump the version. */
  async touch(ex: Executor, id: string, values: Partial<typeof users.$inferInsert>) {
    await ex.update(users).set(values).where(eq(users.id, id));
  },
  grantsOf(ex: Executor, userIds: string[]): Promise<GrantRow[]> {
    if (userIds.length === 0) return Promise.resolve([]);
    return ex
      .select({
        id: roleGrants.id,
        userId: roleGrants.userId,
        organisationId: roleGrants.organisationId,
        role: roleGrants.role,
        includeSubtree: roleGrants.includeSubtree,
        createdAt: roleGrants.createdAt,
        organisationName: organisations.name,
      })
      .from(roleGrants)
      .innerJoin(organisations, eq(organisations.id, roleGrants.organisationId))
      .where(inArray(roleGrants.userId, userIds))
      .orderBy(asc(organisations.name), asc(roleGrants.role));
  },
  async findGrant(ex: Executor, id: string) {
    const [row] = await ex.select().from(roleGrants).where(eq(roleGrants.id, id));
    return row;
  },
  async insertGrant(ex: Executor, values: typeof roleGrants.$inferInsert) {
    const [row] = await ex.insert(roleGrants).values(values).onConflictDoNothing().returning();
    return row;
  },
  async deleteGrant(ex: Executor, id: string) {
    await ex.delete(roleGrants).where(eq(roleGrants.id, id));
  },

  // sessions
  async insertSession(ex: Executor, values: typeof sessions.$inferInsert) {
    const [row] = await ex.insert(sessions).values(values).returning();
    return row;
  },
  /**
   * A session with its user and the user's grants, in one round trip: every API request starts here.
   * The user part is null when the user is gone or inactive (and then no grants are read).
   */
  async findSessionWithActor(ex: Executor, tokenHash: string) {
    const [row] = await runFixed<SessionActorRow>(ex, 'trygg_session_with_actor', SESSION_WITH_ACTOR, [tokenHash]);
    if (!row) return undefined;
    return {
      session: { id: row.id, userId: row.user_id, createdAt: new Date(row.created_at), lastSeenAt: new Date(row.last_seen_at), expiresAt: new Date(row.expires_at) },
      user: row.active ? { name: row.name!, email: row.email!, locale: row.locale ?? 'sv' } : null,
      grants: toActorGrants(row.grants),
      /** The organisation tree's version, read here so that checking the cached tree costs no round trip (lib/context.ts). */
      treeVersion: row.tree_version === null ? undefined : Number(row.tree_version),
    };
  },
  /** An active user as an actor with their current grants, for work done without a session (jobs). */
  async actorById(ex: Executor, userId: string, sessionId: string): Promise<(Actor & { locale: 'sv' | 'en' }) | undefined> {
    const user = await usersRepo.findById(ex, userId);
    if (!user || !user.active) return undefined;
    const grants = await usersRepo.grantsOf(ex, [user.id]);
    return { id: user.id, name: user.name, email: user.email, sessionId, locale: user.locale === 'en' ? 'en' : 'sv', grants: toActorGrants(grants) };
  },
  async extendSession(ex: Executor, id: string, expiresAt: Date) {
    await ex.update(sessions).set({ lastSeenAt: new Date(), expiresAt }).where(eq(sessions.id, id));
  },
  async deleteSession(ex: Executor, id: string) {
    await ex.delete(sessions).where(eq(sessions.id, id));
  },
  async deleteSessionsOf(ex: Executor, userId: string, exceptId?: string) {
    await ex
      .delete(sessions)
      .where(and(eq(sessions.userId, userId), exceptId ? sql`${sessions.id} <> ${exceptId}` : undefined));
  },
  async deleteExpiredSessions(ex: Executor) {
    await ex.delete(sessions).where(sql`${sessions.expiresAt} < now()`);
  },

  // single-purpose tokens
  async insertToken(ex: Executor, values: typeof userTokens.$inferInsert) {
    await ex.insert(userTokens).values(values);
  },
  async findUsableToken(ex: Executor, tokenHash: string, purpose: string) {
    const [row] = await ex
      .select()
      .from(userTokens)
      .where(
        and(
          eq(userTokens.tokenHash, tokenHash),
          eq(userTokens.purpose, purpose),
          isNull(userTokens.usedAt),
          gt(userTokens.expiresAt, new Date()),
        ),
      );
    return row;
  },
  async useToken(ex: Executor, id: string) {
    await ex.update(userTokens).set({ usedAt: new Date() }).where(eq(userTokens.id, id));
  },
};

/** Grant rows (of either query above) as the policies want them. */
export function toActorGrants(rows: { organisationId: string; role: string; includeSubtree: boolean }[]): Grant[] {
  return rows.map((g) => ({ organisationId: g.organisationId, role: g.role as Role, includeSubtree: g.includeSubtree }));
}
