import type { Db } from '../../db/client.ts';
import { recordAudit, type RequestContext } from '../../lib/audit.ts';
import { AppError } from '../../lib/errors.ts';
import { allowedActions, can, type Actor, type OrgTree } from '../../lib/policies.ts';
import { loadOrgTree } from '../../lib/context.ts';
import { t } from '../../lib/i18n.ts';
import { organisationActions, type CreateOrganisation, type Organisation, type UpdateOrganisation } from '../../../shared/schemas/organisations.ts';
import { organisationsRepo, type OrganisationRow } from './organisations.repo.ts';

export function toOrganisation(row: OrganisationRow, actor: Actor | undefined, tree: OrgTree): Organisation {
  return {
    ...row,
    type: row.type as Organisation['type'],
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    allowedActions: allowedActions(actor, organisationActions, row.id, tree),
  };
}

const SHORT_NAME_INDEX = 'organisations_short_name_lower_idx';
const shortNameTaken = () => new AppError('SHORT_NAME_TAKEN', [{ path: 'shortName', message: 'SHORT_NAME_TAKEN' }]);

/** Two requests raced past checkShortName: the unique index refused the second, which gets the same answer. */
export function raceOnShortName(err: unknown): never {
  for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { constraint?: unknown }).constraint === SHORT_NAME_INDEX) throw shortNameTaken();
  }
  throw err;
}

export function createOrganisationService({ db }: { db: Db }) {
  async function getOrThrow(ex: Parameters<typeof organisationsRepo.findById>[0], id: string) {
    const row = await organisationsRepo.findById(ex, id);
    if (!row) throw new AppError('ORGANISATION_NOT_FOUND');
    return row;
  }

  /** Parent must exist and be active; creating or moving at the top level needs rights on the municipality root. */
  async function checkParent(ex: Parameters<typeof organisationsRepo.findById>[0], parentId: string | null, actor: Actor, tree: OrgTree) {
    if (parentId === null) {
      if (!tree.rootId || !can(actor, 'organisations.create', tree.rootId, tree))
        throw new AppError('FORBIDDEN');
      return;
    }
    const parent = await organisationsRepo.findById(ex, parentId);
    if (!parent) throw new AppError('VALIDATION_FAILED', [{ path: 'parentId', message: t('sv', 'errors.ORGANISATION_NOT_FOUND') }]);
    if (!parent.active) throw new AppError('ORGANISATION_INACTIVE', [{ path: 'parentId', message: t('sv', 'errors.ORGANISATION_INACTIVE') }]);
    if (!can(actor, 'organisations.create', parentId, tree)) throw new AppError('FORBIDDEN');
  }

  /** Short names are unique among organisations, whatever the case (the database's unique index is the last word). */
  async function checkShortName(ex: Parameters<typeof organisationsRepo.findById>[0], shortName: string | null | undefined, exceptId?: string) {
    if (shortName && (await organisationsRepo.shortNameTaken(ex, shortName, exceptId))) throw shortNameTaken();
  }

  return {
    async list(actor: Actor, includeInactive: boolean) {
      const tree = await loadOrgTree(db);
      const rows = await organisationsRepo.list(db, { includeInactive });
      return rows.map((r) => toOrganisation(r, actor, tree));
    },

    async get(actor: Actor, id: string) {
      const tree = await loadOrgTree(db);
      return toOrganisation(await getOrThrow(db, id), actor, tree);
    },

    async create(ctx: RequestContext, actor: Actor, input: CreateOrganisation) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx, { fresh: true });
        await checkParent(tx, input.parentId, actor, tree);
        await checkShortName(tx, input.shortName);
        const row = await organisationsRepo
          .insert(tx, {
            type: input.type,
            name: input.name,
            shortName: input.shortName ?? null,
            email: input.email ?? null,
            parentId: input.parentId,
          })
          .catch(raceOnShortName);
        await recordAudit(tx, ctx, { entityType: 'organisation', entityId: row.id, action: 'create', after: row });
        return toOrganisation(row, actor, await loadOrgTree(tx, { fresh: true }));
      });
    },

    async update(ctx: RequestContext, actor: Actor, id: string, input: UpdateOrganisation) {
      return db.transaction(async (tx) => {
        const before = await getOrThrow(tx, id);
        const { version, ...changes } = input;
        await checkShortName(tx, changes.shortName, id);
        const row = await organisationsRepo.update(tx, id, version, changes).catch(raceOnShortName);
        if (!row) throw new AppError('VERSION_CONFLICT');
        await recordAudit(tx, ctx, { entityType: 'organisation', entityId: id, action: 'update', before, after: row });
        return toOrganisation(row, actor, await loadOrgTree(tx, { fresh: true }));
      });
    },

    async move(ctx: RequestContext, actor: Actor, id: string, version: number, parentId: string | null) {
      return db.transaction(async (tx) => {
        const before = await getOrThrow(tx, id);
        const tree = await loadOrgTree(tx, { fresh: true });
        if (parentId !== null && tree.subtreeOf(id).includes(parentId)) throw new AppError('ORGANISATION_CYCLE');
        await checkParent(tx, parentId, actor, tree);
        const row = await organisationsRepo.update(tx, id, version, { parentId });
        if (!row) throw new AppError('VERSION_CONFLICT');
        await recordAudit(tx, ctx, { entityType: 'organisation', entityId: id, action: 'move', before, after: row });
        return toOrganisation(row, actor, await loadOrgTree(tx, { fresh: true }));
      });
    },

    /** Deactivate or reactivate. Organisations are never deleted: history refers to them. */
    async setActive(ctx: RequestContext, actor: Actor, id: string, version: number, active: boolean) {
      return db.transaction(async (tx) => {
        const before = await getOrThrow(tx, id);
        if (!active && (await organisationsRepo.countActiveChildren(tx, id)) > 0)
          throw new AppError('ORGANISATION_HAS_ACTIVE_CHILDREN');
        if (active && before.parentId) {
          const parent = await getOrThrow(tx, before.parentId);
          if (!parent.active) throw new AppError('ORGANISATION_INACTIVE');
        }
        const row = await organisationsRepo.update(tx, id, version, { active });
        if (!row) throw new AppError('VERSION_CONFLICT');
        await recordAudit(tx, ctx, {
          entityType: 'organisation',
          entityId: id,
          action: active ? 'reactivate' : 'deactivate',
          before,
          after: row,
        });
        return toOrganisation(row, actor, await loadOrgTree(tx, { fresh: true }));
      });
    },
  };
}

export type OrganisationService = ReturnType<typeof createOrganisationService>;
