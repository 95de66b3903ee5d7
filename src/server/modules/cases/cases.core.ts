import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { uuids } from '../../db/helpers.ts';
import { notFound } from '../../lib/errors.ts';
import { caseRecords, cases } from '../../db/schema/index.ts';
import type { Actor, OrgTree } from '../../lib/policies.ts';
import { scopeOf } from '../../lib/policies.ts';

/**
 * The primitives every part of the cases module shares (registry, records, decisions, remiss, dispatch):
 * gap-free numbering, record creation and who may read what. Kept here so that the parts do not each
 * grow their own copy.
 */

export type CaseRow = typeof cases.$inferSelect;
export type CaseRecordRow = typeof caseRecords.$inferSelect;
export type RecordDirection = 'incoming' | 'drawn_up' | 'outgoing';

/** `KS 2026/0001`: series, year, sequence padded to four digits. */
export const REGISTRY_NUMBER = /^([A-ZÅÄÖ]{1,10}) (\d{4})\/(\d{4,5})$/;

export function formatRegistryNumber(series: string, year: number, seq: number) {
  return `${series} ${year}/${String(seq).padStart(4, '0')}`;
}

export function parseRegistryNumber(value: string): { series: string; year: number; seq: number } | null {
  const m = REGISTRY_NUMBER.exec(value.trim());
  if (!m) return null;
  const seq = Number(m[3]);
  if (seq < 1) return null;
  return { series: m[1], year: Number(m[2]), seq };
}

/** `KS 2018/0316-12`: the case's number and the record's number within it. */
export function formatRecordNumber(registryNumber: string, seq: number) {
  return `${registryNumber}-${seq}`;
}

/**
 * The next number in a series and year, inside the caller's transaction. The counter row is locked
 * until the transaction ends, so concurrent registrations queue and a rollback gives the number back:
 * the series stays gap-free.
 */
export async function nextCaseSeq(tx: Executor, series: string, year: number): Promise<number> {
  const res = await tx.execute<{ last: number }>(sql`
    insert into case_number_counters (series, year, last) values (${series}, ${year}, 1)
    on conflict (series, year) do update set last = case_number_counters.last + 1
    returning last`);
  return res.rows[0].last;
}

/**
 * Moves a series' counter up to at least `seq` (registering an existing number, e.g. a case from the
 * paper registry): later numbers continue after it.
 */
export async function raiseCaseSeq(tx: Executor, series: string, year: number, seq: number) {
  await tx.execute(sql`
    insert into case_number_counters (series, year, last) values (${series}, ${year}, ${seq})
    on conflict (series, year) do update set last = greatest(case_number_counters.last, excluded.last)`);
}

export interface NewRecord {
  caseId: string;
  direction: RecordDirection;
  recordDate: string;
  title: string;
  counterpart?: string | null;
  counterpartOrganisationId?: string | null;
  secrecyRef?: string | null;
  createdBy?: string | null;
  isExample?: boolean;
}

/** Registers a record in a case with the case's next record number, inside the caller's transaction. */
export async function insertRecord(tx: Executor, record: NewRecord): Promise<CaseRecordRow> {
  const seqRes = await tx.execute<{ seq: number }>(sql`
    update cases set last_record_seq = last_record_seq + 1 where id = ${record.caseId} returning last_record_seq as seq`);
  const seq = seqRes.rows[0]?.seq;
  if (seq === undefined) throw notFound('CASE_NOT_FOUND');
  const [row] = await tx
    .insert(caseRecords)
    .values({
      caseId: record.caseId,
      seq,
      direction: record.direction,
      recordDate: record.recordDate,
      title: record.title,
      counterpart: record.counterpart ?? null,
      counterpartOrganisationId: record.counterpartOrganisationId ?? null,
      secrecyRef: record.secrecyRef ?? null,
      createdBy: record.createdBy ?? null,
      isExample: record.isExample ?? false,
    })
    .returning();
  return row;
}

/**
 * Who may read which cases. A case is readable with `cases.read` on its responsible organisation or on
 * its registering body; a secrecy-marked case only with `cases.secret` there, or as its case officer.
 */
export interface CaseVisibility {
  actorId: string;
  read: string[];
  secret: string[];
}

export function caseVisibility(actor: Actor, tree: OrgTree): CaseVisibility {
  return { actorId: actor.id, read: scopeOf(actor, 'cases.read', tree), secret: scopeOf(actor, 'cases.secret', tree) };
}

/** The visibility rule as SQL over a cases alias (default `c`). */
export function caseVisibleSql(v: CaseVisibility, alias = 'c') {
  const c = sql.raw(alias);
  return sql`(${c}.officer_id = ${v.actorId}
    or ((${c}.organisation_id = any(${uuids(v.secret)}) or ${c}.registry_organisation_id = any(${uuids(v.secret)})))
    or (${c}.secrecy_ref is null and (${c}.organisation_id = any(${uuids(v.read)}) or ${c}.registry_organisation_id = any(${uuids(v.read)}))))`;
}

/** A secrecy-marked record in a readable case is itself readable only to those who may read secret cases there. */
export function recordVisibleSql(v: CaseVisibility, caseAlias = 'c', recordAlias = 'r') {
  const c = sql.raw(caseAlias);
  const r = sql.raw(recordAlias);
  return sql`(${caseVisibleSql(v, caseAlias)} and (${r}.secrecy_ref is null or ${c}.officer_id = ${v.actorId}
    or ${c}.organisation_id = any(${uuids(v.secret)}) or ${c}.registry_organisation_id = any(${uuids(v.secret)})))`;
}
