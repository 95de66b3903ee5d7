import { sql } from 'drizzle-orm';
import type { Db, Executor } from '../../db/client.ts';
import { recordAudit, type RequestContext } from '../../lib/audit.ts';
import { loadOrgTree } from '../../lib/context.ts';
import { AppError } from '../../lib/errors.ts';
import type { FileStore } from '../../lib/filestore.ts';
import { allowedActions, can, type Actor, type OrgTree } from '../../lib/policies.ts';
import { CONTENT_TYPE_OF, type SniffedKind } from '../../lib/uploads.ts';
import {
  caseActions,
  DEFAULT_CASE_TYPES,
  type CaseDetail,
  type CaseQuery,
  type CaseRecord,
  type CaseSummary,
  type CreateCase,
  type CreateRecord,
  type UpdateCase,
  type UpdateRecord,
} from '../../../shared/schemas/cases.ts';
import { formatRecordNumber, formatRegistryNumber, insertRecord, nextCaseSeq, parseRegistryNumber, raiseCaseSeq, REGISTRY_NUMBER } from './cases.core.ts';
import { accessOf, logIfSecret, logSecretReads, maySeeCaseSecrets } from '../../access/index.ts';
import { casesRepo as repo, type CaseDetailRow, type CaseListRow, type RecordRow } from './cases.repo.ts';

type Ctx = RequestContext;
const iso = (d: Date | string) => new Date(d).toISOString();

/** The calendar day in Stockholm (YYYY-MM-DD): registry years and dates follow Swedish time, not UTC. */
export function stockholmDate(d: Date) {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
}

/** Accepted attachments of records: PDF, Word (DOCX) and images (PNG, JPEG), checked by content. */
export const RECORD_FILE_KINDS: SniffedKind[] = ['pdf', 'docx', 'png', 'jpeg'];

const invalid = (path: string, message: string) => new AppError('VALIDATION_FAILED', [{ path, message }]);

/** A series is the registering body's short name in upper case (KS, KSAU, BRÅ…). */
export function seriesOf(shortName: string | null | undefined): string | null {
  const s = (shortName ?? '').trim().toUpperCase();
  return s && REGISTRY_NUMBER.test(`${s} 2000/0001`) ? s : null;
}

function toSummary(r: CaseListRow): CaseSummary {
  return {
    id: r.id,
    registryNumber: r.registry_number,
    externalRegistryNumber: r.external_registry_number ?? null,
    series: r.series,
    year: r.year,
    seq: r.seq,
    title: r.title,
    caseType: r.case_type,
    status: r.status as CaseSummary['status'],
    registeredOn: r.registered_on,
    closedOn: r.closed_on,
    registryOrganisation: { id: r.registry_organisation_id, name: r.registry_organisation_name },
    organisation: { id: r.organisation_id, name: r.organisation_name },
    officer: r.officer_id ? { id: r.officer_id, name: r.officer_name ?? '' } : null,
    concernsChildren: r.concerns_children,
    secrecyRef: r.secrecy_ref,
    isExample: r.is_example,
    version: r.version,
  };
}

export function createCaseService({
  db,
  files,
  caseTypes = [...DEFAULT_CASE_TYPES],
  ownSeries = '',
  now = () => new Date(),
}: {
  db: Db;
  files: FileStore;
  caseTypes?: string[];
  /** REGISTRY_OWN_SERIES: the series Trygg numbers itself ('' = all). */
  ownSeries?: string;
  now?: () => Date;
}) {
  const own = new Set(ownSeries.split(',').map((s) => s.trim().toUpperCase()).filter(Boolean));
  /** Does Trygg give this series its numbers, or does the municipality's registry system? */
  const numbersItself = (series: string) => own.size === 0 || own.has(series);
  const today = () => stockholmDate(now());

  /** May the actor write in the case (register records, correct it)? Registrars and handlers of either organisation. */
  const mayWrite = (actor: Actor, c: { organisation_id: string; registry_organisation_id: string }, tree: OrgTree) =>
    [c.organisation_id, c.registry_organisation_id].some((o) => can(actor, 'cases.register', o, tree) || can(actor, 'cases.handle', o, tree));
  /** May the actor see and set secrecy markings in the case? cases.secret there, or being its officer (who reads its secrets anyway). */
  const maySecret = (actor: Actor, c: { organisation_id: string; registry_organisation_id: string; officer_id: string | null }, tree: OrgTree) =>
    maySeeCaseSecrets(accessOf(actor, tree), { organisationId: c.organisation_id, registryOrganisationId: c.registry_organisation_id, officerId: c.officer_id });
  const actionsOn = (actor: Actor, c: { organisation_id: string; registry_organisation_id: string }, tree: OrgTree) => {
    const held = new Set([...allowedActions(actor, caseActions, c.organisation_id, tree), ...allowedActions(actor, caseActions, c.registry_organisation_id, tree)]);
    return caseActions.filter((a) => held.has(a));
  };

  async function requireOrganisation(ex: Executor, tree: OrgTree, id: string, path: string) {
    if (!tree.has(id)) throw invalid(path, 'ORGANISATION_NOT_FOUND');
    const r = await ex.execute<{ active: boolean; short_name: string | null }>(sql`select active, short_name from organisations where id = ${id}`);
    if (!r.rows[0]?.active) throw invalid(path, 'ORGANISATION_INACTIVE');
    return r.rows[0];
  }
  async function requireUser(ex: Executor, id: string, path: string) {
    const r = await ex.execute<{ active: boolean }>(sql`select active from users where id = ${id}`);
    if (!r.rows[0]) throw invalid(path, 'USER_NOT_FOUND');
    if (!r.rows[0].active) throw invalid(path, 'ACCOUNT_INACTIVE');
  }
  const requireCaseType = (value: string) => {
    if (!caseTypes.includes(value)) throw invalid('caseType', 'ENUM');
  };

  /** The case with its names (the detail row), if the actor may see it: the access core's caseVisibleSql in the repo query. */
  async function caseDetailRow(ex: Executor, actor: Actor, tree: OrgTree, id: string, forUpdate = false) {
    const row = await repo.findVisibleCase(ex, accessOf(actor, tree), id, { forUpdate });
    if (!row) throw new AppError('CASE_NOT_FOUND');
    return row;
  }

  async function toRecords(ex: Executor, rows: RecordRow[]): Promise<CaseRecord[]> {
    const fileRows = await repo.filesOf(ex, rows.map((r) => r.id));
    return rows.map((r) => ({
      id: r.id,
      caseId: r.case_id,
      seq: r.seq,
      number: formatRecordNumber(r.registry_number, r.seq),
      direction: r.direction as CaseRecord['direction'],
      recordDate: r.record_date,
      title: r.title,
      counterpart: r.counterpart,
      counterpartOrganisation: r.counterpart_organisation_id ? { id: r.counterpart_organisation_id, name: r.counterpart_organisation_name ?? '' } : null,
      secrecyRef: r.secrecy_ref,
      isExample: r.is_example,
      version: r.version,
      createdAt: iso(r.created_at),
      files: fileRows
        .filter((f) => f.recordId === r.id)
        .map((f) => ({ id: f.id, filename: f.filename, contentType: f.contentType, size: f.size, sha256: f.sha256, createdAt: iso(f.createdAt) })),
    }));
  }

  async function detail(ex: Executor, actor: Actor, tree: OrgTree, row: CaseDetailRow): Promise<CaseDetail> {
    const records = await toRecords(ex, await repo.listRecords(ex, accessOf(actor, tree), row.id));
    return {
      ...toSummary(row),
      description: row.description,
      childAssessment: row.child_assessment,
      secrecyMarkedBy: row.secrecy_marked_by ? { id: row.secrecy_marked_by, name: row.secrecy_marked_by_name ?? '' } : null,
      secrecyMarkedOn: row.secrecy_marked_on,
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at),
      records,
      allowedActions: actionsOn(actor, row, tree),
    };
  }
  const reload = async (ex: Executor, actor: Actor, tree: OrgTree, id: string) => detail(ex, actor, tree, await caseDetailRow(ex, actor, tree, id));

  async function visibleRecord(ex: Executor, actor: Actor, tree: OrgTree, caseId: string, recordId: string) {
    const c = await caseDetailRow(ex, actor, tree, caseId);
    const [r] = await repo.listRecords(ex, accessOf(actor, tree), caseId, recordId);
    if (!r) throw new AppError('RECORD_NOT_FOUND');
    return { c, r };
  }

  async function checkCounterpart(ex: Executor, tree: OrgTree, id: string | null | undefined) {
    if (id) await requireOrganisation(ex, tree, id, 'counterpartOrganisationId');
  }

  return {
    caseTypes,

    /** What the registration form offers the actor: case types, the bodies they may register for, possible officers. */
    async options(actor: Actor) {
      const tree = await loadOrgTree(db);
      const orgs = await db.execute<{ id: string; name: string; short_name: string | null }>(
        sql`select id, name, short_name from organisations where active and short_name is not null order by name`,
      );
      const registryBodies = orgs.rows
        .filter((o) => seriesOf(o.short_name) && can(actor, 'cases.register', o.id, tree))
        .map((o) => ({ id: o.id, name: o.name, series: seriesOf(o.short_name)! }));
      const officers = await db.execute<{ id: string; name: string }>(sql`
        select distinct u.id, u.name from users u join role_grants g on g.user_id = u.id
        where u.active and g.role in ('officer', 'coordinator', 'admin') order by u.name`);
      return { caseTypes, registryBodies, officers: officers.rows };
    },

    async list(actor: Actor, q: CaseQuery) {
      const tree = await loadOrgTree(db);
      const { rows, total } = await repo.listCases(db, accessOf(actor, tree), q);
      return { items: rows.map(toSummary), total };
    },

    /** With `ctx`, opening a secret case, or one holding secret records the actor sees, is logged as a secret read. */
    async get(actor: Actor, id: string, ctx?: Ctx) {
      const tree = await loadOrgTree(db);
      const detail = await reload(db, actor, tree, id);
      if (ctx)
        await logSecretReads(db, ctx, [
          ...(detail.secrecyRef ? [{ type: 'case', id: detail.id, how: 'open' as const }] : []),
          ...detail.records.filter((r) => r.secrecyRef).map((r) => ({ type: 'record', id: r.id, how: 'open' as const })),
        ]);
      return detail;
    },

    /**
     * Registers a case: the series is the registering body's short name, the number the series' next
     * this year (Stockholm time), taken inside the transaction so that numbers stay unique and gap-free.
     * An existing number (a paper case) may be given instead: it must be well-formed, of the body's
     * series and free; later numbers continue after it.
     */
    async register(ctx: Ctx, actor: Actor, input: CreateCase, opts: { isExample?: boolean } = {}) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const body = await requireOrganisation(tx, tree, input.registryOrganisationId, 'registryOrganisationId');
        if (!can(actor, 'cases.register', input.registryOrganisationId, tree)) throw new AppError('FORBIDDEN');
        const series = seriesOf(body.short_name);
        if (!series) throw new AppError('REGISTRY_SERIES_MISSING', [{ path: 'registryOrganisationId', message: 'REGISTRY_SERIES_MISSING' }]);
        await requireOrganisation(tx, tree, input.organisationId, 'organisationId');
        if (input.officerId) await requireUser(tx, input.officerId, 'officerId');
        requireCaseType(input.caseType);
        if (input.secrecyRef && !can(actor, 'cases.secret', input.registryOrganisationId, tree) && !can(actor, 'cases.secret', input.organisationId, tree))
          throw new AppError('FORBIDDEN');

        // A series numbered in the municipality's own registry system: the case carries that system's number.
        if (!numbersItself(series) && input.registryNumber === undefined) throw new AppError('VALIDATION_FAILED', [{ path: 'registryNumber', message: 'REGISTRY_NUMBER_EXTERNAL' }]);
        let year: number;
        let seq: number;
        let registeredOn = today();
        if (input.registryNumber !== undefined) {
          const parsed = parseRegistryNumber(input.registryNumber);
          if (!parsed) throw invalid('registryNumber', 'REGISTRY_NUMBER_INVALID');
          if (parsed.series !== series) throw invalid('registryNumber', 'REGISTRY_SERIES_MISMATCH');
          ({ year, seq } = parsed);
          if (input.registeredOn) {
            if (Number(input.registeredOn.slice(0, 4)) !== year || input.registeredOn > today()) throw invalid('registeredOn', 'INVALID');
            registeredOn = input.registeredOn;
          } else if (year !== Number(registeredOn.slice(0, 4))) registeredOn = `${year}-01-01`;
          if (await repo.findByNumber(tx, formatRegistryNumber(series, year, seq)))
            throw new AppError('CASE_NUMBER_TAKEN', [{ path: 'registryNumber', message: 'CASE_NUMBER_TAKEN' }]);
          await raiseCaseSeq(tx, series, year, seq);
        } else {
          if (input.registeredOn) throw invalid('registeredOn', 'INVALID');
          year = Number(registeredOn.slice(0, 4));
          seq = await nextCaseSeq(tx, series, year);
        }
        const marked = input.secrecyRef ? { secrecyRef: input.secrecyRef, secrecyReason: input.secrecyReason ?? null, secrecyMarkedBy: actor.id, secrecyMarkedOn: today(), secrecyMarkedAt: now() } : {};
        let row;
        try {
          row = await repo.insertCase(tx, {
            series,
            year,
            seq,
            registryNumber: formatRegistryNumber(series, year, seq),
            externalRegistryNumber: input.externalRegistryNumber ?? null,
            title: input.title,
            description: input.description ?? null,
            caseType: input.caseType,
            registryOrganisationId: input.registryOrganisationId,
            organisationId: input.organisationId,
            officerId: input.officerId ?? null,
            registeredOn,
            concernsChildren: input.concernsChildren ?? null,
            childAssessment: input.childAssessment ?? null,
            ...marked,
            createdBy: actor.id,
            isExample: opts.isExample ?? false,
          });
        } catch (err) {
          // Two registrations of the same existing number raced past the check: the unique index decides.
          if ((err as { cause?: { code?: string } }).cause?.code === '23505') throw new AppError('CASE_NUMBER_TAKEN', [{ path: 'registryNumber', message: 'CASE_NUMBER_TAKEN' }]);
          throw err;
        }
        await recordAudit(tx, ctx, { entityType: 'case', entityId: row.id, action: 'create', after: row });
        return reload(tx, actor, tree, row.id);
      });
    },

    async update(ctx: Ctx, actor: Actor, id: string, input: UpdateCase) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const current = await caseDetailRow(tx, actor, tree, id);
        if (!mayWrite(actor, current, tree)) throw new AppError('FORBIDDEN');
        const before = (await repo.findCaseRow(tx, id))!;
        // (A marking is changed only through the access core's secrecy endpoint; the schema refuses secrecyRef here.)
        const { version, status, secrecyRef: _marking, ...rest } = input;
        const changes: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(rest)) if (v !== undefined) changes[k] = v;
        if (input.caseType !== undefined && input.caseType !== before.caseType) requireCaseType(input.caseType);
        if (input.organisationId && input.organisationId !== before.organisationId) {
          await requireOrganisation(tx, tree, input.organisationId, 'organisationId');
          // Handing the case to another organisation: the actor must be able to work there too (or be its registrar).
          if (!mayWrite(actor, { organisation_id: input.organisationId, registry_organisation_id: before.registryOrganisationId }, tree)) throw new AppError('FORBIDDEN');
        }
        if (input.officerId && input.officerId !== before.officerId) await requireUser(tx, input.officerId, 'officerId');
        if (status && status !== before.status) {
          changes.status = status;
          changes.closedOn = status === 'closed' ? today() : null;
        }
        // The child assessment, as it will be: answered → motivated.
        const concerns = input.concernsChildren !== undefined ? input.concernsChildren : before.concernsChildren;
        const motivation = input.childAssessment !== undefined ? input.childAssessment : before.childAssessment;
        if (concerns !== null && !motivation) throw invalid('childAssessment', 'REQUIRED');
        const row = await repo.updateCase(tx, id, version, changes);
        if (!row) throw new AppError('VERSION_CONFLICT');
        await recordAudit(tx, ctx, { entityType: 'case', entityId: id, action: 'update', before, after: row });
        // The actor may have marked the case beyond their own reading: then they no longer see it.
        const after = await repo.findVisibleCase(tx, accessOf(actor, tree), id);
        if (!after) throw new AppError('CASE_NOT_FOUND');
        return detail(tx, actor, tree, after);
      });
    },

    async listRecords(actor: Actor, caseId: string) {
      const tree = await loadOrgTree(db);
      await caseDetailRow(db, actor, tree, caseId);
      const items = await toRecords(db, await repo.listRecords(db, accessOf(actor, tree), caseId));
      return { items, total: items.length };
    },

    /** Registers a record (handling) in the case with the case's next record number. */
    async addRecord(ctx: Ctx, actor: Actor, caseId: string, input: CreateRecord, opts: { isExample?: boolean } = {}) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const c = await caseDetailRow(tx, actor, tree, caseId);
        if (!mayWrite(actor, c, tree)) throw new AppError('FORBIDDEN');
        await checkCounterpart(tx, tree, input.counterpartOrganisationId);
        if (input.secrecyRef && !maySecret(actor, c, tree)) throw new AppError('FORBIDDEN');
        const row = await insertRecord(tx, {
          caseId,
          direction: input.direction,
          recordDate: input.recordDate,
          title: input.title,
          counterpart: input.counterpart ?? null,
          counterpartOrganisationId: input.counterpartOrganisationId ?? null,
          secrecyRef: input.secrecyRef ?? null,
          secrecyReason: input.secrecyReason ?? null,
          createdBy: actor.id,
          isExample: opts.isExample ?? false,
        });
        await recordAudit(tx, ctx, { entityType: 'case_record', entityId: row.id, action: 'create', after: row });
        const [r] = await repo.listRecords(tx, accessOf(actor, tree), caseId, row.id);
        if (!r) throw new AppError('RECORD_NOT_FOUND');
        return (await toRecords(tx, [r]))[0];
      });
    },

    /** Corrects a record's metadata (never deletes it: records are allmänna handlingar). */
    async updateRecord(ctx: Ctx, actor: Actor, caseId: string, recordId: string, input: UpdateRecord) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const { c } = await visibleRecord(tx, actor, tree, caseId, recordId);
        if (!mayWrite(actor, c, tree)) throw new AppError('FORBIDDEN');
        const before = (await repo.findRecordRow(tx, recordId))!;
        await checkCounterpart(tx, tree, input.counterpartOrganisationId);
        const { version, secrecyRef: _marking, ...rest } = input;
        const changes: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(rest)) if (v !== undefined) changes[k] = v;
        const row = await repo.updateRecord(tx, recordId, version, changes);
        if (!row) throw new AppError('VERSION_CONFLICT');
        await recordAudit(tx, ctx, { entityType: 'case_record', entityId: recordId, action: 'update', before, after: row });
        const [r] = await repo.listRecords(tx, accessOf(actor, tree), caseId, recordId);
        if (!r) throw new AppError('RECORD_NOT_FOUND');
        return (await toRecords(tx, [r]))[0];
      });
    },

    /** Attaches a file to a record: bytes in the file store by SHA-256, metadata in the record's transaction. */
    async addFile(ctx: Ctx, actor: Actor, caseId: string, recordId: string, file: { filename: string; data: Buffer; kind: SniffedKind }) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const { c } = await visibleRecord(tx, actor, tree, caseId, recordId);
        if (!mayWrite(actor, c, tree)) throw new AppError('FORBIDDEN');
        const filename = (file.filename || 'fil').replace(/[^\p{L}\p{N}._ ()-]/gu, '_').slice(0, 200) || 'fil';
        // Content-addressed: storing the same bytes again is harmless, so a rolled-back transaction leaves at most an unreferenced copy.
        const stored = await files.put(file.data);
        const row = await repo.insertFile(tx, { recordId, filename, contentType: CONTENT_TYPE_OF[file.kind], size: stored.size, sha256: stored.sha256, uploadedBy: actor.id });
        await recordAudit(tx, ctx, { entityType: 'case_record_file', entityId: row.id, action: 'create', after: row });
        return { id: row.id, filename: row.filename, contentType: row.contentType, size: row.size, sha256: row.sha256, createdAt: iso(row.createdAt) };
      });
    },

    /** A record's file, if the actor may read the record (secrecy included); checked against its checksum. */
    /** With `ctx`, downloading a secret record's (or secret case's) file is logged as a secret read. */
    async getFile(actor: Actor, caseId: string, recordId: string, fileId: string, ctx?: Ctx) {
      const tree = await loadOrgTree(db);
      await visibleRecord(db, actor, tree, caseId, recordId);
      const f = await repo.findFile(db, recordId, fileId);
      if (!f) throw new AppError('RECORD_FILE_NOT_FOUND');
      if (ctx) {
        await logIfSecret(db, ctx, 'record', recordId, 'download', { fileId });
        await logIfSecret(db, ctx, 'case', caseId, 'download', { recordId, fileId });
      }
      return { filename: f.filename, contentType: f.contentType, content: await files.get(f.sha256) };
    },
  };
}

export type CaseService = ReturnType<typeof createCaseService>;
