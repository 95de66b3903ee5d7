import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { loadOrgTree } from '../../lib/context.ts';
import type { Actor, OrgTree } from '../../lib/policies.ts';
import type { SearchHit } from '../../../shared/schemas/cases.ts';
import { accessOf, caseVisibleSql, logSecretReads, recordVisibleSql, type Access } from '../../access/index.ts';
import type { RequestContext } from '../../lib/audit.ts';

/**
 * Registry search: Swedish full text (websearch_to_tsquery('swedish', q)) over every searchable table,
 * ranked, with snippets, and only over what the actor may read.
 *
 * Each table contributes one *part*: a SELECT over the query `q.q` (a tsquery, in scope as `q`) giving the
 * columns kind, id, case_id, number, title, body, rank, date, secret — filtered by the actor's
 * visibility in SQL. The parts are joined with UNION ALL, ranked, and only the page's rows get their
 * snippet (ts_headline is the expensive part). Another module (the governing-document register) adds its
 * table by passing one more part.
 */
export interface SearchScope {
  actor: Actor;
  tree: OrgTree;
  cases: Access;
}
export type SearchPart = (scope: SearchScope) => SQL;

/** Cases: number, title, description, case type. A secrecy-marked case is found only by those who may read it. */
export const casePart: SearchPart = ({ cases: v }) => sql`
  select 'case'::text as kind, c.id, c.id as case_id, c.registry_number as number, c.title,
         concat_ws(' ', c.description, c.case_type) as body, ts_rank(c.search, q.q) as rank, c.registered_on as date,
         (c.secrecy_ref is not null) as secret
  from cases c, q
  where c.search @@ q.q and ${caseVisibleSql(v)}`;

/** Records: title and counterpart. A secrecy-marked record only for those who may read its secrets. */
export const recordPart: SearchPart = ({ cases: v }) => sql`
  select 'record'::text as kind, r.id, c.id as case_id, c.registry_number || '-' || r.seq as number, r.title,
         coalesce(r.counterpart, '') as body, ts_rank(r.search, q.q) as rank, r.record_date as date,
         (r.secrecy_ref is not null or c.secrecy_ref is not null) as secret
  from case_records r join cases c on c.id = r.case_id, q
  where r.search @@ q.q and ${recordVisibleSql(v)}`;

export const REGISTRY_SEARCH_PARTS: SearchPart[] = [casePart, recordPart];

/** The whole search statement (also what the benchmark runs directly). */
export function searchSql(scope: SearchScope, query: string, page: { limit: number; offset: number }, parts: SearchPart[] = REGISTRY_SEARCH_PARTS) {
  return sql`
    with q as (select websearch_to_tsquery('swedish', ${query}) as q),
    hits as (${sql.join(parts.map((p) => sql`(${p(scope)})`), sql` union all `)}),
    page as (
      select h.*, count(*) over ()::int as total from hits h
      order by h.rank desc, h.date desc nulls last, h.id
      limit ${page.limit} offset ${page.offset}
    )
    select p.kind, p.id, p.case_id, p.number, p.title, p.date::text as date, p.rank::float8 as rank, p.secret, p.total,
           ts_headline('swedish', concat_ws(' — ', p.title, nullif(p.body, '')), q.q,
             'StartSel=«, StopSel=», MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "') as snippet
    from page p, q
    order by p.rank desc, p.date desc nulls last, p.id`;
}

interface HitRow extends Record<string, unknown> {
  kind: SearchHit['kind'];
  id: string;
  case_id: string | null;
  number: string | null;
  title: string;
  date: string | null;
  rank: number;
  secret: boolean;
  total: number;
  snippet: string;
}

export function createRegistrySearch({ db, parts = REGISTRY_SEARCH_PARTS }: { db: Db; parts?: SearchPart[] }) {
  return {
    parts,
    /** With `ctx`, every secret hit shown is logged as a secret read (how: search). */
    async search(actor: Actor, q: { q: string; limit: number; offset: number }, ctx?: RequestContext) {
      const tree = await loadOrgTree(db);
      const scope: SearchScope = { actor, tree, cases: accessOf(actor, tree) };
      const res = await db.execute<HitRow>(searchSql(scope, q.q, q, parts));
      const items = res.rows.map(
        (r): SearchHit => ({ kind: r.kind, id: r.id, caseId: r.case_id, number: r.number, title: r.title, snippet: r.snippet, date: r.date, rank: Number(r.rank), secret: r.secret }),
      );
      if (ctx) await logSecretReads(db, ctx, items.filter((h) => h.secret).map((h) => ({ type: h.kind, id: h.id, how: 'search' as const, detail: { q: q.q } })));
      return { total: res.rows[0]?.total ?? 0, items };
    },
  };
}
export type RegistrySearch = ReturnType<typeof createRegistrySearch>;
