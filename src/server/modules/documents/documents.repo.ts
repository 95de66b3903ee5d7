import { and, asc, eq, getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { pageBound, uuids } from '../../db/helpers.ts';
import { governingDocuments } from '../../db/schema/index.ts';
import { documentVisibleSql, type Access } from '../../access/index.ts';
import type { DocumentQuery } from '../../../shared/schemas/documents.ts';

export type DocumentRow = typeof governingDocuments.$inferSelect;
export type DocumentListRow = Omit<DocumentRow, 'search'> & { ownerName: string; adoptedByName: string | null; programId: string | null };

const { search: _search, ...columns } = getTableColumns(governingDocuments);
/**
 * The list's columns (every column but the search vector), selected under their row keys so that the driver's
 * rows are the list's rows: only the timestamps are mapped (the column's own mapping), in place.
 */
const listColumns = Object.entries(columns).map(([key, c]) => ({ key, name: c.name, map: c.columnType === 'PgTimestamp' ? (v: unknown) => c.mapFromDriverValue(v) : undefined }));
const listSelect = sql.raw(listColumns.map((c) => `d.${c.name} as "${c.key}"`).join(', '));
const pageSelect = sql.raw(listColumns.map((c) => c.name).join(', '));
const timestamps = listColumns.filter((c) => c.map);
/** A row of the list's statement as the list answers it: the timestamps mapped, the total (the last column) taken off. */
function listRow(row: Record<string, unknown>): DocumentListRow {
  for (const c of timestamps) if (row[c.key] != null) row[c.key] = c.map!(row[c.key]);
  delete row.total;
  return row as DocumentListRow;
}

export const documentsRepo = {
  async find(ex: Executor, id: string, forUpdate = false): Promise<DocumentRow | undefined> {
    const q = ex.select().from(governingDocuments).where(eq(governingDocuments.id, id));
    const [row] = forUpdate ? await q.for('update') : await q;
    return row;
  },

  /** The register, filtered in SQL; `today` (Stockholm) and `dueDays` decide the review filters. */
  async list(ex: Executor, v: Access, q: Partial<DocumentQuery> & { id?: string; ids?: string[] }, today: string, dueDays: number) {
    const where: SQL[] = [documentVisibleSql(v)];
    if (q.id) where.push(eq(governingDocuments.id, q.id));
    if (q.ids) where.push(sql`${governingDocuments.id} = any(${uuids(q.ids)})`);
    if (q.type) where.push(eq(governingDocuments.type, q.type));
    if (q.ownerOrganisationId) where.push(eq(governingDocuments.ownerOrganisationId, q.ownerOrganisationId));
    /** Visibility, type and owner: what the kept counts hold besides the status. */
    const keyed = [...where];
    // By the state as it reads today: in force past its validity is expired (upphört att gälla), not in force.
    if (q.status === 'in_force') where.push(sql`${governingDocuments.status} = 'in_force' and (${governingDocuments.validTo} is null or ${governingDocuments.validTo} >= ${today}::date)`);
    else if (q.status === 'expired') where.push(sql`${governingDocuments.status} = 'in_force' and ${governingDocuments.validTo} < ${today}::date`);
    else if (q.status) where.push(eq(governingDocuments.status, q.status));
    if (q.review === 'overdue') where.push(sql`${governingDocuments.status} = 'in_force' and ${governingDocuments.nextReviewOn} < ${today}::date`);
    if (q.review === 'due')
      where.push(sql`${governingDocuments.status} = 'in_force' and ${governingDocuments.nextReviewOn} between ${today}::date and ${today}::date + ${dueDays}::int`);
    const tsq = q.q ? sql`websearch_to_tsquery('swedish', ${q.q})` : undefined;
    if (tsq) where.push(sql`${governingDocuments.search} @@ ${tsq}`);
    // The page walks the title index and stops after `limit` rows (names joined for those rows only); the
    // total comes in the same statement, as an uncorrelated subquery (run once) — never `count(*) over ()`,
    // which joins and sorts every matching row before the limit. Filtered by type, a stored status and owner at most
    // (the register as it opens), it is a sum over kept counter rows with the access core's own clause applied to
    // each counter row, seen through a lateral alias that carries the columns the rule reads (a rule that came to
    // read another column would fail here, not count wrongly); otherwise the matching rows are counted (the
    // references to governing_documents inside that count bind to the subquery's own table). Without a type
    // filter the rows are document_status_counts' (owner × status × secret: what the rule and the other filters
    // read, 2 × 4 per organisation at most), with one document_counts' (× 7 types), issue #12 item 1.
    // In force is read against today's date (validity). With a type filter the counter rows hold it:
    // document_counts' in-force rows are keyed by their validity end (ends_on, 'infinity' when none), and the
    // rows ending today or later are those in force today — one scan, no second branch (issue #12 item 1).
    // Without one, document_status_counts does not hold it: the kept in-force count less the visible in-force
    // documents whose validity has ended (expired: few, through governing_documents_expiry_idx), as -1 per such
    // document in the same sum: one subquery, not the difference of two (two uncorrelated subqueries made the
    // whole statement 2-3 times slower end to end on PostgreSQL 15, though EXPLAIN ANALYZE showed no such cost —
    // bench/README.md, 2026-12-08). Expired itself counts its rows through that index.
    const countable = !q.id && !q.ids && !q.review && !tsq && q.status !== 'expired';
    const counters = q.type
      ? sql`document_counts k cross join lateral (select k.owner_organisation_id, k.status, k.type, case when k.secret then 'secret' end as secrecy_ref) d`
      : sql`document_status_counts k cross join lateral (select k.owner_organisation_id, k.status, case when k.secret then 'secret' end as secrecy_ref) d`;
    const count = countable
      ? sql<number>`(select coalesce(sum(x.n), 0)::int from (select k.n from ${counters}
          where k.n <> 0 and ${documentVisibleSql(v, 'd')}
            ${q.type ? sql`and d.type = ${q.type}` : sql``} ${q.status ? sql`and d.status = ${q.status}` : sql``}
            ${q.ownerOrganisationId ? sql`and d.owner_organisation_id = ${q.ownerOrganisationId}` : sql``}
          ${q.status === 'in_force' && q.type ? sql`and k.ends_on >= ${today}::date` : sql``}
          ${q.status === 'in_force' && !q.type ? sql`union all select -1 from ${governingDocuments} where ${and(...keyed)} and ${governingDocuments.status} = 'in_force' and ${governingDocuments.validTo} is not null and ${governingDocuments.validTo} < ${today}::date` : sql``}) x)`
      : sql<number>`(select count(*)::int from ${governingDocuments} where ${and(...where)})`;
    // One `sql` statement, not drizzle's select builder: assembling the builder's statement (28 fields, two
    // joins) and mapping its rows through each column cost more than the statement itself (bench/README.md,
    // 2026-12-08). The page is cut first (title index, stops after `limit`); names and the program for its rows.
    // Limit and offset are written into the statement as integer literals, not sent as parameters: the register
    // as it opens for a reader of every organisation then has no parameter at all, which PGlite answers through
    // the simple protocol, about 0.3 ms sooner than a parameterised statement (bench/README.md, 2026-12-08 night).
    const rank = tsq ? sql`ts_rank(${governingDocuments.search}, ${tsq})` : undefined;
    const r = await ex.execute<Record<string, unknown>>(sql`
      select ${listSelect}, o.name as "ownerName", a.name as "adoptedByName", p.id as "programId", ${count} as total
      from (select ${pageSelect}${rank ? sql`, ${rank} as rank` : sql``} from ${governingDocuments} where ${and(...where)}
            order by ${rank ? sql`rank desc, ` : sql``}title, id limit ${pageBound(q.limit ?? 100)} offset ${pageBound(q.offset ?? 0)}) d
      join organisations o on o.id = d.owner_organisation_id left join organisations a on a.id = d.adopted_by_organisation_id
      left join programs p on p.document_id = d.id
      order by ${rank ? sql`d.rank desc, ` : sql``}d.title, d.id`);
    // A page past the end has no row to carry the total: count on its own then.
    const total = (r.rows[0]?.total as number | undefined) ?? (q.offset ? ((await ex.execute<{ total: number }>(sql`select ${count} as total`)).rows[0]?.total ?? 0) : 0);
    return { rows: r.rows.map(listRow), total };
  },

  /** The decision as the register links it: case number, title, body, date and §. */
  async decisionLink(ex: Executor, id: string | null) {
    if (!id) return null;
    const r = await ex.execute<{ id: string; case_id: string; registry_number: string; title: string; body_name: string; decided_on: string | null; paragraph: number | null }>(sql`
      select d.id, d.case_id, c.registry_number, d.title, o.name as body_name, d.decided_on::text as decided_on, d.paragraph
      from decisions d join cases c on c.id = d.case_id join organisations o on o.id = d.body_organisation_id
      where d.id = ${id}`);
    const d = r.rows[0];
    return d ? { id: d.id, caseId: d.case_id, registryNumber: d.registry_number, title: d.title, bodyName: d.body_name, decidedOn: d.decided_on, paragraph: d.paragraph } : null;
  },

  /**
   * The decisions in the registry that are to adopt the document (an adopt att-sats, or a replace att-sats
   * naming it as the replacement) and have not done so yet: a draft, or a proposal to another body. While
   * there is one, the document comes into force by that decision, not by hand.
   */
  async pendingAdoption(ex: Executor, id: string) {
    const r = await ex.execute<{ registry_number: string }>(sql`
      select c.registry_number from decision_clauses k
      join decisions d on d.id = k.decision_id join cases c on c.id = d.case_id
      where ((k.effect = 'adopt' and k.document_id = ${id}) or (k.effect = 'replace' and k.replacement_document_id = ${id}))
        and (d.status = 'draft' or k.to_body_organisation_id is not null)
      order by d.created_at limit 1`);
    return r.rows[0]?.registry_number ?? null;
  },

  /** The program in the program module that is this register entry, if any. */
  async programOf(ex: Executor, id: string) {
    const r = await ex.execute<{ id: string }>(sql`select id from programs where document_id = ${id}`);
    return r.rows[0]?.id ?? null;
  },

  /** Keeps the program's own copy of what it shares with its entry (title, description, owner) in step, in the same transaction. */
  async syncProgram(ex: Executor, programId: string, v: { title: string; description: string | null; ownerOrganisationId: string }) {
    await ex.execute(sql`
      update programs set title = ${v.title}, description = ${v.description}, owner_organisation_id = ${v.ownerOrganisationId},
        version = version + 1, updated_at = now()
      where id = ${programId} and (title, coalesce(description, ''), owner_organisation_id) is distinct from (${v.title}, coalesce(${v.description}, ''), ${v.ownerOrganisationId}::uuid)`);
  },

  async decisionExists(ex: Executor, id: string) {
    const r = await ex.execute<{ body: string; decided_on: string | null; status: string }>(sql`select body_organisation_id as body, decided_on::text as decided_on, status from decisions where id = ${id}`);
    return r.rows[0];
  },

  async links(ex: Executor, ids: string[]) {
    if (!ids.length) return [];
    return ex
      .select({ id: governingDocuments.id, title: governingDocuments.title, status: governingDocuments.status, replacedById: governingDocuments.replacedById, ownerOrganisationId: governingDocuments.ownerOrganisationId })
      .from(governingDocuments)
      .where(sql`${governingDocuments.id} = any(${uuids(ids)})`);
  },

  async replacing(ex: Executor, id: string) {
    return ex
      .select({ id: governingDocuments.id, title: governingDocuments.title, status: governingDocuments.status, ownerOrganisationId: governingDocuments.ownerOrganisationId })
      .from(governingDocuments)
      .where(eq(governingDocuments.replacedById, id))
      .orderBy(asc(governingDocuments.title));
  },

  /**
   * Whether the replaced-by links starting at any of `ids` run into a cycle (A replaced by B replaced
   * by … A). Each document has at most one successor, so a walk either ends or revisits a document.
   */
  async hasCycle(ex: Executor, ids: string[]): Promise<boolean> {
    if (!ids.length) return false;
    const r = await ex.execute<{ cycle: boolean }>(sql`
      with recursive chain(id, path, cycle) as (
        select d.id, array[d.id], false from governing_documents d where d.id = any(${uuids(ids)})
        union all
        select n.replaced_by_id, c.path || n.replaced_by_id, n.replaced_by_id = any(c.path)
        from chain c join governing_documents n on n.id = c.id
        where n.replaced_by_id is not null and not c.cycle
      )
      select exists (select 1 from chain where cycle) as cycle`);
    return !!r.rows[0]?.cycle;
  },
};
