import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import type { DocumentSearchHit } from '../../../shared/schemas/documents.ts';
import { documentVisibleSql, type DocumentVisibility } from './documents.repo.ts';

/** HTML-escapes a text column in SQL, so the snippet's only markup is the highlight. */
const escaped = (expr: ReturnType<typeof sql>) => sql`replace(replace(replace(${expr}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')`;

/**
 * Full-text hits among the governing documents the visibility allows (drafts only on the reader's own
 * organisations), in the shape of the registry's search: the snippet is HTML-safe text in which the
 * matched words are wrapped in <mark>…</mark>. An empty or stop-word-only query gives no hits.
 */
export async function searchDocuments(ex: Executor, v: DocumentVisibility, q: string, opts: { limit?: number } = {}): Promise<DocumentSearchHit[]> {
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
