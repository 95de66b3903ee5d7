import { hash as digest, randomBytes } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import type { Db, Executor } from '../../db/client.ts';
import { recordAudit, type RequestContext } from '../../lib/audit.ts';
import { AppError } from '../../lib/errors.ts';
import { loadOrgTree } from '../../lib/context.ts';
import { queueMail } from '../../lib/mail.ts';
import { allowedActions, can, scopeOf, type Actor, type OrgTree } from '../../lib/policies.ts';
import { t } from '../../lib/i18n.ts';
import type { Role } from '../../../shared/roles.ts';
import { userActions, type CreateUser, type RoleGrant, type User } from '../../../shared/schemas/users.ts';
import { organisationsRepo } from '../organisations/index.ts';
import { usersRepo, type GrantRow, type UserRow } from './users.repo.ts';

/** SHA-256 of a token, hex (crypto.hash: one call, no Hash object; every API request hashes its session cookie). */
export const hashToken = (token: string) => digest('sha256', token, 'hex');
export const newToken = () => randomBytes(32).toString('base64url');
export const hashPassword = (password: string) => hash(password, { algorithm: 2 /* Argon2id */ });

const INVITE_DAYS = 7;

export function toGrant(g: GrantRow): RoleGrant {
  return { ...g, role: g.role as Role, createdAt: g.createdAt.toISOString() };
}

/** Grants of a user as stored, without the audit noise of dates. */
const grantSnapshot = (g: { organisationId: string; role: string; includeSubtree: boolean }) => ({
  organisationId: g.organisationId,
  role: g.role,
  includeSubtree: g.includeSubtree,
});

/** What the audit log keeps of a user: never the password hash. */
const auditUser = ({ passwordHash, ...rest }: UserRow) => ({ ...rest, hasPassword: passwordHash !== null });

export function createUserService({ db, publicUrl }: { db: Db; publicUrl: string }) {
  async function present(ex: Executor, rows: UserRow[], actor: Actor, tree: OrgTree): Promise<User[]> {
    const grants = await usersRepo.grantsOf(ex, rows.map((r) => r.id));
    const orgNames = new Map((await organisationsRepo.list(ex, { includeInactive: true })).map((o) => [o.id, o.name]));
    return rows.map((r) => ({
      id: r.id,
      email: r.email,
      name: r.name,
      homeOrganisationId: r.homeOrganisationId,
      homeOrganisationName: orgNames.get(r.homeOrganisationId) ?? '',
      active: r.active,
      mustChangePassword: r.mustChangePassword,
      locale: r.locale === 'en' ? 'en' : 'sv',
      version: r.version,
      lastLoginAt: r.lastLoginAt?.toISOString() ?? null,
      createdAt: r.createdAt.toISOString(),
      grants: grants.filter((g) => g.userId === r.id).map(toGrant),
      allowedActions: allowedActions(actor, userActions, r.homeOrganisationId, tree),
    }));
  }

  async function getRow(ex: Executor, id: string) {
    const row = await usersRepo.findById(ex, id);
    if (!row) throw new AppError('USER_NOT_FOUND');
    return row;
  }

  /**
   * A user the actor may see (users.read on the user's home organisation). Granting or revoking a role
   * on one's own organisation must not reach, or reveal, a user of another committee.
   */
  async function visibleRow(ex: Executor, id: string, actor: Actor, tree: OrgTree) {
    const row = await getRow(ex, id);
    if (!can(actor, 'users.read', row.homeOrganisationId, tree)) throw new AppError('USER_NOT_FOUND');
    return row;
  }

  async function checkHomeOrg(ex: Executor, orgId: string, actor: Actor, tree: OrgTree) {
    const org = await organisationsRepo.findById(ex, orgId);
    if (!org) throw new AppError('VALIDATION_FAILED', [{ path: 'homeOrganisationId', message: t('sv', 'errors.ORGANISATION_NOT_FOUND') }]);
    if (!org.active) throw new AppError('ORGANISATION_INACTIVE', [{ path: 'homeOrganisationId', message: t('sv', 'errors.ORGANISATION_INACTIVE') }]);
    if (!can(actor, 'users.manage', orgId, tree)) throw new AppError('FORBIDDEN');
  }

  /**
   * Deactivating an account ends every role it holds: an administrator may do it only when all of them lie
   * within what the administrator manages (a subtree grant with its whole subtree). An organisation's
   * administrator cannot switch off, say, a municipal coordinator who happens to belong to the committee.
   */
  async function checkGrantsWithin(ex: Executor, userId: string, actor: Actor, tree: OrgTree) {
    const grants = await usersRepo.grantsOf(ex, [userId]);
    const reached = grants.flatMap((g) => (g.includeSubtree ? tree.subtreeOf(g.organisationId) : [g.organisationId]));
    if (!reached.every((orgId) => can(actor, 'users.manage', orgId, tree))) throw new AppError('USER_HAS_GRANTS_OUTSIDE_SCOPE');
  }

  return {
    /** The home organisation of a user, for route policies; undefined if there is no such user. */
    async homeOrgOf(userId: string) {
      return (await usersRepo.findById(db, userId))?.homeOrganisationId;
    },
    async orgOfGrant(grantId: string) {
      return (await usersRepo.findGrant(db, grantId))?.organisationId;
    },

    async list(actor: Actor, q: { q?: string; organisationId?: string; includeInactive: boolean; limit: number; offset: number }) {
      const tree = await loadOrgTree(db);
      const { items, total } = await usersRepo.list(db, { ...q, homeOrgIds: scopeOf(actor, 'users.read', tree) });
      return { items: await present(db, items, actor, tree), total };
    },

    async get(actor: Actor, id: string) {
      const tree = await loadOrgTree(db);
      const [user] = await present(db, [await getRow(db, id)], actor, tree);
      return user;
    },

    async create(ctx: RequestContext, actor: Actor, input: CreateUser) {
      // Hash before the transaction: argon2 is slow and the embedded database has one connection.
      const passwordHash = input.password ? await hashPassword(input.password) : null;
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        await checkHomeOrg(tx, input.homeOrganisationId, actor, tree);
        if (await usersRepo.findByEmail(tx, input.email)) throw new AppError('EMAIL_TAKEN', [{ path: 'email', message: t('sv', 'errors.EMAIL_TAKEN') }]);
        const row = await usersRepo.insert(tx, {
          email: input.email,
          name: input.name,
          homeOrganisationId: input.homeOrganisationId,
          passwordHash,
          mustChangePassword: !!input.password,
        });
        await recordAudit(tx, ctx, { entityType: 'user', entityId: row.id, action: 'create', after: auditUser(row) });
        if (!input.password) {
          const token = newToken();
          await usersRepo.insertToken(tx, {
            userId: row.id,
            purpose: 'set-password',
            tokenHash: hashToken(token),
            expiresAt: new Date(Date.now() + INVITE_DAYS * 86_400_000),
          });
          const link = `${publicUrl.replace(/\/$/, '')}/satt-losenord?token=${token}`;
          await queueMail(tx, {
            to: row.email,
            subject: t('sv', 'mail.invite.subject'),
            text: t('sv', 'mail.invite.text', { name: row.name, link, days: INVITE_DAYS, by: actor.name }),
          });
        }
        const [user] = await present(tx, [row], actor, tree);
        return user;
      });
    },

    async update(ctx: RequestContext, actor: Actor, id: string, input: { version: number; name?: string; email?: string; homeOrganisationId?: string; active?: boolean }) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const before = await getRow(tx, id);
        if (input.homeOrganisationId && input.homeOrganisationId !== before.homeOrganisationId)
          await checkHomeOrg(tx, input.homeOrganisationId, actor, tree);
        if (input.email && input.email.toLowerCase() !== before.email.toLowerCase() && (await usersRepo.findByEmail(tx, input.email)))
          throw new AppError('EMAIL_TAKEN', [{ path: 'email', message: t('sv', 'errors.EMAIL_TAKEN') }]);
        if (input.active === false && id === actor.id) throw new AppError('CANNOT_DEACTIVATE_SELF');
        if (input.active === false && before.active) await checkGrantsWithin(tx, id, actor, tree);
        const { version, ...changes } = input;
        const row = await usersRepo.update(tx, id, version, changes);
        if (!row) throw new AppError('VERSION_CONFLICT');
        if (input.active === false) await usersRepo.deleteSessionsOf(tx, id);
        const action = input.active === false && before.active ? 'deactivate' : input.active === true && !before.active ? 'reactivate' : 'update';
        await recordAudit(tx, ctx, { entityType: 'user', entityId: id, action, before: auditUser(before), after: auditUser(row) });
        const [user] = await present(tx, [row], actor, tree);
        return user;
      });
    },

    async grantRole(ctx: RequestContext, actor: Actor, userId: string, input: { organisationId: string; role: Role; includeSubtree: boolean }) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const user = await visibleRow(tx, userId, actor, tree);
        const org = await organisationsRepo.findById(tx, input.organisationId);
        if (!org) throw new AppError('ORGANISATION_NOT_FOUND');
        if (!org.active) throw new AppError('ORGANISATION_INACTIVE');
        // No escalation: a subtree grant needs the right to grant on every organisation in it.
        const targets = input.includeSubtree ? tree.subtreeOf(input.organisationId) : [input.organisationId];
        if (!targets.every((o) => can(actor, 'roles.grant', o, tree))) throw new AppError('FORBIDDEN');
        const row = await usersRepo.insertGrant(tx, { userId, ...input });
        if (!row) throw new AppError('ROLE_ALREADY_GRANTED');
        await recordAudit(tx, ctx, { entityType: 'user', entityId: userId, action: 'grant-role', after: grantSnapshot(row) });
        const [presented] = await present(tx, [user], actor, tree);
        return presented;
      });
    },

    async revokeRole(ctx: RequestContext, actor: Actor, userId: string, grantId: string) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const user = await visibleRow(tx, userId, actor, tree);
        const grant = await usersRepo.findGrant(tx, grantId);
        if (!grant || grant.userId !== userId) throw new AppError('ROLE_GRANT_NOT_FOUND');
        await usersRepo.deleteGrant(tx, grantId);
        await recordAudit(tx, ctx, { entityType: 'user', entityId: userId, action: 'revoke-role', before: grantSnapshot(grant) });
        const [presented] = await present(tx, [user], actor, tree);
        return presented;
      });
    },
  };
}

export type UserService = ReturnType<typeof createUserService>;
