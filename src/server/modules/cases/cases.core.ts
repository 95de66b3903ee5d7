import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { accessOf, caseVisibleSql, mayHandleCase, type Access, type CaseLike } from '../../access/index.ts';
import type { Actor, OrgTree } from '../../lib/policies.ts';
import { caseRecords, cases } from '../../db/schema/index.ts';

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
  /** Why it is secret (with secrecyRef: the marking's reason). */
  secrecyReason?: string | null;
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
      ...(record.secrecyRef ? { secrecyReason: record.secrecyReason ?? null, secrecyMarkedBy: record.createdBy ?? null, secrecyMarkedAt: new Date() } : {}),
      createdBy: record.createdBy ?? null,
      isExample: record.isExample ?? false,
    })
    .returning();
  return row;
}

/** The case, if the actor may see it (otherwise CASE_NOT_FOUND: nothing about it is revealed). The one lookup every part uses. */
export async function visibleCase(ex: Executor, access: Access, caseId: string, opts: { forUpdate?: boolean } = {}): Promise<CaseRow> {
  const res = await ex.execute<{ id: string }>(sql`select c.id from cases c where c.id = ${caseId} and ${caseVisibleSql(access)} ${opts.forUpdate ? sql`for update` : sql``}`);
  if (!res.rows[0]) throw new AppError('CASE_NOT_FOUND');
  return (await ex.query.cases.findFirst({ where: (c, { eq: e }) => e(c.id, caseId) }))!;
}

/** The same lookup for callers holding an actor and the tree. */
export const visibleCaseOf = (ex: Executor, actor: Actor, tree: OrgTree, caseId: string) => visibleCase(ex, accessOf(actor, tree), caseId);

/** May the actor handle the case (decisions, remiss, dispatch)? The access core's one rule. */
export const mayHandle = (actor: Actor, tree: OrgTree, c: CaseLike) => mayHandleCase(accessOf(actor, tree), c);
