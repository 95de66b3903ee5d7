import { asc, eq, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { columnIndex, executeRows, one, updateVersioned, uuids } from '../../db/helpers.ts';
import { caseRecordFiles, caseRecords, cases } from '../../db/schema/index.ts';
import { caseVisibleSql, recordVisibleSql, type Access } from '../../access/index.ts';

/** A case as the registry lists it: the row's own columns plus the names it shows. */
export interface CaseListRow extends Record<string, unknown> {
  id: string;
  registry_number: string;
  external_registry_number: string | null;
  series: string;
  year: number;
  seq: number;
  title: string;
  case_type: string;
  status: string;
  registered_on: string;
  closed_on: string | null;
  registry_organisation_id: string;
  registry_organisation_name: string;
  organisation_id: string;
  organisation_name: string;
  officer_id: string | null;
  officer_name: string | null;
  concerns_children: boolean | null;
  secrecy_ref: string | null;
  is_example: boolean;
  version: number;
}

export interface CaseDetailRow extends CaseListRow {
  description: string | null;
  child_assessment: string | null;
  secrecy_marked_by: string | null;
  secrecy_marked_by_name: string | null;
  secrecy_marked_on: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface RecordRow extends Record<string, unknown> {
  id: string;
  case_id: string;
  seq: number;
  registry_number: string;
  direction: string;
  record_date: string;
  title: string;
  counterpart: string | null;
  counterpart_organisation_id: string | null;
  counterpart_organisation_name: string | null;
  secrecy_ref: string | null;
  is_example: boolean;
  version: number;
  created_at: Date;
}

export interface CaseFilter {
  status?: string;
  organisationId?: string;
  year?: number;
  officerId?: string;
  q?: string;
  limit: number;
  offset: number;
}

/** A query that looks like (part of) a registry number: "KS 2018/0316", "2018/03", "0316". */
const NUMBER_QUERY = /^[\p{L}]{0,10}\s*\d[\d/-]*$/u;
const likeEscape = (v: string) => v.replace(/[\\%_]/g, (m) => `\\${m}`);

/** The filter part of the case list, over the alias `c`: visibility first, then the chosen filters. */
export function caseListWhere(vis: Access, f: Omit<CaseFilter, 'limit' | 'offset'>): SQL {
  const where: SQL[] = [caseVisibleSql(vis)];
  if (f.status) where.push(sql`c.status = ${f.status}`);
  if (f.organisationId) where.push(sql`c.organisation_id = ${f.organisationId}`);
  if (f.year) where.push(sql`c.year = ${f.year}`);
  if (f.officerId) where.push(sql`c.officer_id = ${f.officerId}`);
  const q = f.q?.trim();
  if (q) {
    if (NUMBER_QUERY.test(q)) where.push(sql`c.registry_number ilike ${`%${likeEscape(q.toUpperCase())}%`}`);
    // A number from the municipality's own registry system (any shape) finds its case too.
    else where.push(sql`(c.search @@ websearch_to_tsquery('swedish', ${q}) or c.external_registry_number ilike ${likeEscape(q)})`);
  }
  return sql.join(where, sql` and `);
}

/** The zero uuid: case_counts' key for a case without officer. */
const NO_OFFICER = '00000000-0000-0000-0000-000000000000';

/**
 * The list's total. Filtered by status, organisation and officer at most (the list as it opens, "my cases"),
 * it is a sum over case_counts (kept by triggers, migration 0028_case_counts), each counter row seen through an
 * alias `c` that carries the columns the access core's case rule reads, so the rule and the filters are the
 * very clause the rows get (`where`, caseListWhere, built once for both). A year or a text query counts the
 * matching cases themselves.
 */
function countSql(f: Omit<CaseFilter, 'limit' | 'offset'>, where: SQL): SQL {
  if (f.year || f.q?.trim()) return sql`(select count(*)::int from cases c where ${where})`;
  return sql`(select coalesce(sum(k.n), 0)::int from case_counts k
    cross join lateral (select k.organisation_id, k.registry_organisation_id, nullif(k.officer_id, ${NO_OFFICER}::uuid) as officer_id,
      case when k.secret then 'secret' end as secrecy_ref, k.status) c
    where k.n <> 0 and ${where})`;
}

const caseColumns = sql`c.id, c.registry_number, c.external_registry_number, c.series, c.year, c.seq, c.title, c.case_type, c.status,
  c.registered_on::text as registered_on, c.closed_on::text as closed_on, c.registry_organisation_id, c.organisation_id,
  c.officer_id, c.concerns_children, c.secrecy_ref, c.is_example, c.version`;

/** The case list statement's columns, in its order: the driving count, then caseColumns and the joined names. */
const LIST_COLUMNS = ['total', 'id', 'registry_number', 'external_registry_number', 'series', 'year', 'seq', 'title', 'case_type', 'status',
  'registered_on', 'closed_on', 'registry_organisation_id', 'organisation_id', 'officer_id', 'concerns_children', 'secrecy_ref', 'is_example',
  'version', 'registry_organisation_name', 'organisation_name', 'officer_name'] as const;
const L = columnIndex(LIST_COLUMNS);
/** A row of the case list statement (executeRows' array) as a CaseListRow. */
const listRow = (r: unknown[]): CaseListRow => ({
  id: r[L.id] as string,
  registry_number: r[L.registry_number] as string,
  external_registry_number: r[L.external_registry_number] as string | null,
  series: r[L.series] as string,
  year: r[L.year] as number,
  seq: r[L.seq] as number,
  title: r[L.title] as string,
  case_type: r[L.case_type] as string,
  status: r[L.status] as string,
  registered_on: r[L.registered_on] as string,
  closed_on: r[L.closed_on] as string | null,
  registry_organisation_id: r[L.registry_organisation_id] as string,
  registry_organisation_name: r[L.registry_organisation_name] as string,
  organisation_id: r[L.organisation_id] as string,
  organisation_name: r[L.organisation_name] as string,
  officer_id: r[L.officer_id] as string | null,
  officer_name: r[L.officer_name] as string | null,
  concerns_children: r[L.concerns_children] as boolean | null,
  secrecy_ref: r[L.secrecy_ref] as string | null,
  is_example: r[L.is_example] as boolean,
  version: r[L.version] as number,
});

export const casesRepo = {
  /**
   * One page of the cases the actor may read, newest registration first, filtered and paged in SQL;
   * names are joined only for the page's rows.
   */
  async listCases(ex: Executor, vis: Access, f: CaseFilter) {
    const where = caseListWhere(vis, f);
    // The page walks the registration-date index and stops after `limit` rows; the total is counted on
    // its own (a window count over the page query would sort every matching row). Both are one statement,
    // so a request makes one round trip to the database for the list, not two: on a loaded machine each
    // round trip costs milliseconds of scheduling, which for a selective filter is as much as the query.
    // The count is the driving row, so an empty page (offset past the end) still carries the total.
    // Without a year or text query the count is a sum over case_counts (countSql).
    const rows = await executeRows(ex, sql`
      with counted as (select ${countSql(f, where)} as total)
      select counted.total, p.*
      from counted
      left join lateral (
        select p.*, ro.name as registry_organisation_name, o.name as organisation_name, u.name as officer_name
        from (
          select ${caseColumns}
          from cases c
          where ${where}
          order by c.registered_on desc, c.year desc, c.seq desc, c.id
          limit ${f.limit} offset ${f.offset}
        ) p
        join organisations ro on ro.id = p.registry_organisation_id
        join organisations o on o.id = p.organisation_id
        left join users u on u.id = p.officer_id
      ) p on true
      order by p.registered_on desc, p.year desc, p.seq desc, p.id`, LIST_COLUMNS);
    const total = (rows[0]?.[L.total] as number | undefined) ?? 0;
    return { rows: rows.filter((r) => r[L.id] !== null).map(listRow), total };
  },

  /** The case if the actor may read it (undefined otherwise: invisible and absent look the same). */
  async findVisibleCase(ex: Executor, vis: Access, id: string, opts: { forUpdate?: boolean } = {}) {
    const res = await ex.execute<CaseDetailRow>(sql`
      select ${caseColumns}, c.description, c.child_assessment, c.secrecy_marked_by, c.secrecy_marked_on::text as secrecy_marked_on,
             c.created_at, c.updated_at,
             ro.name as registry_organisation_name, o.name as organisation_name, u.name as officer_name, m.name as secrecy_marked_by_name
      from cases c
      join organisations ro on ro.id = c.registry_organisation_id
      join organisations o on o.id = c.organisation_id
      left join users u on u.id = c.officer_id
      left join users m on m.id = c.secrecy_marked_by
      where c.id = ${id} and ${caseVisibleSql(vis)}
      ${opts.forUpdate ? sql`for update of c` : sql``}`);
    return res.rows[0];
  },

  findCaseRow: (ex: Executor, id: string) => one(ex.select().from(cases).where(eq(cases.id, id))),
  findByNumber: (ex: Executor, registryNumber: string) => one(ex.select({ id: cases.id }).from(cases).where(eq(cases.registryNumber, registryNumber))),
  insertCase: (ex: Executor, v: typeof cases.$inferInsert) => one(ex.insert(cases).values(v).returning()) as Promise<typeof cases.$inferSelect>,
  updateCase: (ex: Executor, id: string, version: number, v: Partial<typeof cases.$inferInsert>) => updateVersioned(ex, cases, id, version, v),

  /** The records of a case the actor may read (secrecy-marked ones only for those who may read secrets), in number order. */
  async listRecords(ex: Executor, vis: Access, caseId: string, recordId?: string) {
    const res = await ex.execute<RecordRow>(sql`
      select r.id, r.case_id, r.seq, c.registry_number, r.direction, r.record_date::text as record_date, r.title, r.counterpart,
             r.counterpart_organisation_id, co.name as counterpart_organisation_name, r.secrecy_ref, r.is_example, r.version, r.created_at
      from case_records r
      join cases c on c.id = r.case_id
      left join organisations co on co.id = r.counterpart_organisation_id
      where r.case_id = ${caseId} ${recordId ? sql`and r.id = ${recordId}` : sql``} and ${recordVisibleSql(vis)}
      order by r.seq`);
    return res.rows;
  },
  findRecordRow: (ex: Executor, id: string) => one(ex.select().from(caseRecords).where(eq(caseRecords.id, id))),
  updateRecord: (ex: Executor, id: string, version: number, v: Partial<typeof caseRecords.$inferInsert>) => updateVersioned(ex, caseRecords, id, version, v),

  filesOf: (ex: Executor, recordIds: string[]) =>
    recordIds.length
      ? ex.select().from(caseRecordFiles).where(sql`${caseRecordFiles.recordId} = any(${uuids(recordIds)})`).orderBy(asc(caseRecordFiles.createdAt), asc(caseRecordFiles.id))
      : Promise.resolve([] as (typeof caseRecordFiles.$inferSelect)[]),
  insertFile: (ex: Executor, v: typeof caseRecordFiles.$inferInsert) => one(ex.insert(caseRecordFiles).values(v).returning()) as Promise<typeof caseRecordFiles.$inferSelect>,
  findFile: (ex: Executor, recordId: string, fileId: string) =>
    one(ex.select().from(caseRecordFiles).where(sql`${caseRecordFiles.id} = ${fileId} and ${caseRecordFiles.recordId} = ${recordId}`)),
};
