import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { recordAudit, type RequestContext } from '../lib/audit.ts';
import { AppError } from '../lib/errors.ts';
import type { Action } from '../../shared/roles.ts';
import type { ErrorCode } from '../../shared/errors.ts';
import type { Access } from './access.ts';
import type { SecretRecordType } from './rules.ts';

/**
 * Secrecy markings, the same for every record type (OSL 5 kap. 5 §): the legal reference, the reason, who
 * marked it and when; unmarking with a reason. Both go into the audit chain. Marking needs the type's
 * secret right on the record's organisation (one cannot mark what one could then not read); so does unmarking,
 * which exposes the record.
 */
interface SecretType {
  table: string;
  /** The record's owning organisations, one row each (`org`), for the record `$id`. */
  owners: (id: string) => SQL;
  /** The right that reads the type's secrets, and so may mark and unmark them. */
  right: Action;
  /** 'root': on the municipality (lägesbild reports are the municipality's). */
  onRoot?: boolean;
  notFound: ErrorCode;
}

export const SECRET_TYPES: Record<SecretRecordType, SecretType> = {
  case: {
    table: 'cases',
    owners: (id) => sql`select organisation_id as org from cases where id = ${id} union select registry_organisation_id from cases where id = ${id}`,
    right: 'cases.secret',
    notFound: 'CASE_NOT_FOUND',
  },
  record: {
    table: 'case_records',
    owners: (id) => sql`select c.organisation_id as org from case_records r join cases c on c.id = r.case_id where r.id = ${id}
      union select c.registry_organisation_id from case_records r join cases c on c.id = r.case_id where r.id = ${id}`,
    right: 'cases.secret',
    notFound: 'RECORD_NOT_FOUND',
  },
  incident: {
    table: 'incidents',
    owners: (id) => sql`select organisation_id as org from incidents where id = ${id}`,
    right: 'incidents.manage',
    notFound: 'INCIDENT_NOT_FOUND',
  },
  document: {
    table: 'governing_documents',
    owners: (id) => sql`select owner_organisation_id as org from governing_documents where id = ${id}`,
    right: 'documents.manage',
    notFound: 'DOCUMENT_NOT_FOUND',
  },
  lagesbild_report: {
    table: 'lagesbild_reports',
    owners: (id) => sql`select null::uuid as org from lagesbild_reports where id = ${id}`,
    right: 'incidents.manage',
    onRoot: true,
    notFound: 'LAGESBILD_REPORT_NOT_FOUND',
  },
  report_attachment: {
    table: 'report_attachments',
    owners: (id) => sql`select r.organisation_id as org from report_attachments a join follow_up_reports r on r.id = a.report_id where a.id = ${id}
      union select p.owner_organisation_id from report_attachments a join follow_up_reports r on r.id = a.report_id
        join follow_up_rounds o on o.id = r.round_id join programs p on p.id = o.program_id where a.id = ${id}`,
    right: 'followup.manage',
    notFound: 'ATTACHMENT_NOT_FOUND',
  },
};

export const SECRET_RECORD_TYPES = Object.keys(SECRET_TYPES) as SecretRecordType[];

export interface SecrecyState {
  secrecyRef: string | null;
  secrecyReason: string | null;
  secrecyMarkedBy: { id: string; name: string } | null;
  secrecyMarkedAt: string | null;
}

/** Does the actor hold the type's secret right on the record? Throws the type's 404 when it does not exist. */
async function requireSecretRight(ex: Executor, access: Access, type: SecretRecordType, id: string) {
  const t = SECRET_TYPES[type];
  const owners = await ex.execute<{ org: string | null }>(t.owners(id));
  if (!owners.rows.length) throw new AppError(t.notFound);
  const ok = t.onRoot ? access.canAtRoot(t.right) : owners.rows.some((o) => !!o.org && access.can(t.right, o.org));
  // Without the secret right the record stays unknown (404), as for anyone who may not read it.
  if (!ok) throw new AppError(t.notFound);
}

async function stateOf(ex: Executor, type: SecretRecordType, id: string): Promise<SecrecyState> {
  const table = sql.raw(SECRET_TYPES[type].table);
  const r = await ex.execute<{ secrecy_ref: string | null; secrecy_reason: string | null; secrecy_marked_by: string | null; name: string | null; secrecy_marked_at: Date | string | null }>(sql`
    select t.secrecy_ref, t.secrecy_reason, t.secrecy_marked_by, u.name, t.secrecy_marked_at
    from ${table} t left join users u on u.id = t.secrecy_marked_by where t.id = ${id}`);
  const row = r.rows[0];
  if (!row) throw new AppError(SECRET_TYPES[type].notFound);
  return {
    secrecyRef: row.secrecy_ref,
    secrecyReason: row.secrecy_reason,
    secrecyMarkedBy: row.secrecy_marked_by ? { id: row.secrecy_marked_by, name: row.name ?? '' } : null,
    secrecyMarkedAt: row.secrecy_marked_at ? new Date(row.secrecy_marked_at).toISOString() : null,
  };
}

/** Marks (or re-marks with another reference) a record as secret. */
export async function markSecret(tx: Executor, ctx: RequestContext, access: Access, type: SecretRecordType, id: string, input: { secrecyRef: string; reason: string }) {
  await requireSecretRight(tx, access, type, id);
  const before = await stateOf(tx, type, id);
  const table = sql.raw(SECRET_TYPES[type].table);
  // Cases also keep the date of marking (secrecy_marked_on) that the registry shows.
  const extra = type === 'case' ? sql`, secrecy_marked_on = (now() at time zone 'Europe/Stockholm')::date` : sql``;
  await tx.execute(sql`update ${table} set secrecy_ref = ${input.secrecyRef.trim()}, secrecy_reason = ${input.reason.trim()},
    secrecy_marked_by = ${access.actorId}, secrecy_marked_at = now() ${extra} where id = ${id}`);
  const after = await stateOf(tx, type, id);
  await recordAudit(tx, ctx, { entityType: type, entityId: id, action: 'secrecy-mark', before, after });
  return after;
}

/** Removes a secrecy marking, with the reason (e.g. the secrecy period has run out, or a new assessment). */
export async function unmarkSecret(tx: Executor, ctx: RequestContext, access: Access, type: SecretRecordType, id: string, input: { reason: string }) {
  await requireSecretRight(tx, access, type, id);
  const before = await stateOf(tx, type, id);
  if (!before.secrecyRef) throw new AppError('SECRECY_NOT_MARKED');
  const table = sql.raw(SECRET_TYPES[type].table);
  const extra = type === 'case' ? sql`, secrecy_marked_on = null` : sql``;
  await tx.execute(sql`update ${table} set secrecy_ref = null, secrecy_reason = null, secrecy_marked_by = null, secrecy_marked_at = null ${extra} where id = ${id}`);
  const after = await stateOf(tx, type, id);
  await recordAudit(tx, ctx, { entityType: type, entityId: id, action: 'secrecy-unmark', before, after: { ...after, reason: input.reason.trim() } });
  return after;
}

/** The marking as it stands, for those who hold the secret right. */
export async function secrecyOf(ex: Executor, access: Access, type: SecretRecordType, id: string) {
  await requireSecretRight(ex, access, type, id);
  return stateOf(ex, type, id);
}
