import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import type { DocumentSearchHit } from '../../../shared/schemas/documents.ts';
import { accessOf, documentVisibleSql, type Access } from '../../access/index.ts';
import type { SearchPart } from '../cases/index.ts';

/** HTML-escapes a text column in SQL, so the snippet's only markup is the highlight. */
const escaped = (expr: ReturnType<typeof sql>) => sql`replace(replace(replace(${expr}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')`;

/**
 * Full-text hits among the governing documents the visibility allows (drafts only on the reader's own
 * organisations), in the shape of the registry's search: the snippet is HTML-safe text in which the
 * matched words are wrapped in <mark>…</mark>. An empty or stop-word-only query gives no hits.
 */
export async function searchDocuments(ex: Executor, v: Access, q: string, opts: { limit?: number } = {}): Promise<DocumentSearchHit[]> {
  if (!q.trim()) return [];
  const r = await ex.execute<{ id: string; title: string; snippet: string; rank: number }>(sql`
    select d.id, d.title,
      ts_headline('swedish', ${escaped(sql`d.title || coalesce(' — ' || d.description, '') || coalesce(' (' || d.decision_ref || ')', '')`)}, query,
        'StartSel=<mark>, StopSel=</mark>, MaxWords=35, MinWords=12, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "') as snippet,
      ts_rank(d.search, query)::float8 as rank
    from governing_documents d, websearch_to_tsquery('swedish', ${q}) query
    where d.search @@ query and ${documentVisibleSql(v, 'd')}
    order by rank desc, d.title, d.id
    limit ${opts.limit ?? 20}`);
  return r.rows.map((h) => ({ kind: 'document' as const, id: h.id, title: h.title, snippet: h.snippet, rank: Number(h.rank) }));
}

/**
 * The register's part of the registry search (`createRegistrySearch({ parts: [...REGISTRY_SEARCH_PARTS, documentSearchPart] })`):
 * the same visibility as above, in the registry's column shape (no case, no number).
 */
export const documentSearchPart: SearchPart = ({ actor, tree }) => {
  const v = accessOf(actor, tree);
  return sql`
  select 'document'::text as kind, d.id, null::uuid as case_id, null::text as number, d.title,
         concat_ws(' ', d.description, d.decision_ref) as body, ts_rank(d.search, q.q) as rank, d.adopted_on as date,
         false as secret
  from governing_documents d, q
  where d.search @@ q.q and ${documentVisibleSql(v, 'd')}`;
};
