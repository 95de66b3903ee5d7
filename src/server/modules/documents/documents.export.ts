import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Executor } from '../../db/client.ts';
import type { DocumentModel } from '../../lib/documents/model.ts';
import { renderPdf } from '../../lib/documents/pdf.ts';
import { renderXlsx, type Sheet } from '../../lib/documents/xlsx.ts';
import { AppError } from '../../lib/errors.ts';
import { defineExportKind } from '../../lib/exports.ts';
import { t, type Locale } from '../../lib/i18n.ts';
import { canSomewhere, type Actor } from '../../lib/policies.ts';
import { DOCUMENT_TYPES } from '../../../shared/schemas/documents.ts';
import { stockholmToday } from './documents.service.ts';
import { documentPublicSql } from '../../access/index.ts';

/** The list of governing documents in force, as PDF or XLSX: public information, for every reader. */
export const IN_FORCE_EXPORT = 'documents.in-force';
const params = z.object({ type: z.enum(DOCUMENT_TYPES).optional(), ownerOrganisationId: z.uuid().optional() });
type Params = z.infer<typeof params>;

type InForceRow = {
  title: string;
  type: string;
  owner: string;
  adopted_by: string | null;
  decision: string | null;
  adopted_on: string | null;
  valid_from: string | null;
  valid_to: string | null;
  next_review_on: string | null;
};

export async function inForceRows(ex: Executor, p: Params) {
  const r = await ex.execute<InForceRow>(sql`
    select d.title, d.type, o.name as owner, a.name as adopted_by,
      coalesce(d.decision_ref, case when dec.decided_on is not null then concat_ws(' ', coalesce(b.short_name, b.name), dec.decided_on::text, '§ ' || dec.paragraph) end) as decision,
      d.adopted_on::text as adopted_on, d.valid_from::text as valid_from, d.valid_to::text as valid_to, d.next_review_on::text as next_review_on
    from governing_documents d
    join organisations o on o.id = d.owner_organisation_id
    left join organisations a on a.id = d.adopted_by_organisation_id
    left join decisions dec on dec.id = d.decision_id and dec.status = 'decided'
    left join organisations b on b.id = dec.body_organisation_id
    where d.status = 'in_force' and (d.valid_to is null or d.valid_to >= ${stockholmToday()}::date) and ${documentPublicSql('d')}
      ${p.type ? sql`and d.type = ${p.type}` : sql``}
      ${p.ownerOrganisationId ? sql`and d.owner_organisation_id = ${p.ownerOrganisationId}` : sql``}
    order by d.title, d.id`);
  return r.rows;
}

export function buildInForce(rows: InForceRow[], locale: Locale, today: string): { model: DocumentModel; sheet: Sheet } {
  const L = (k: string, vars?: Record<string, string | number>) => t(locale, `documents.inForce.${k}`, vars);
  const type = (v: string) => t(locale, `documents.documentType.${v}`);
  const keys = ['title', 'type', 'owner', 'adoptedBy', 'decision', 'adoptedOn', 'validFrom', 'validTo', 'nextReview'] as const;
  const cells = (r: InForceRow) => [r.title, type(r.type), r.owner, r.adopted_by ?? '–', r.decision ?? '–', r.adopted_on ?? '–', r.valid_from ?? '–', r.valid_to ?? '–', r.next_review_on ?? '–'];
  const widths = [3.2, 1.2, 1.8, 1.6, 1.7, 1.1, 1.1, 1.1, 1.1];
  const model: DocumentModel = {
    organisation: 'Lunds kommun',
    title: L('title'),
    lang: locale === 'sv' ? 'sv-SE' : 'en-GB',
    footer: `${L('title')} — ${today}`,
    meta: [
      { label: L('generated'), value: today },
      { label: L('count'), value: String(rows.length) },
    ],
    blocks: [
      { type: 'paragraph', text: L('intro', { date: today, count: rows.length }) },
      rows.length
        ? { type: 'table', caption: L('title'), columns: keys.map((k, i) => ({ header: L(`col.${k}`), width: widths[i] })), rows: rows.map(cells) }
        : { type: 'paragraph', text: L('empty'), muted: true },
    ],
  };
  const sheet: Sheet = {
    name: L('sheet'),
    columns: keys.map((k) => ({ header: L(`col.${k}`), key: k, width: k === 'title' ? 50 : k === 'owner' || k === 'adoptedBy' ? 28 : 16 })),
    rows: rows.map((r) => Object.fromEntries(keys.map((k, i) => [k, cells(r)[i] === '–' ? null : cells(r)[i]]))),
  };
  return { model, sheet };
}

/** The organisation shown on the cover: the municipality (root organisation). */
async function municipality(ex: Executor) {
  const r = await ex.execute<{ name: string }>(sql`select name from organisations where type = 'municipality' and parent_id is null order by created_at limit 1`);
  return r.rows[0]?.name ?? '';
}

export async function authorizeInForce(_ex: Executor, actor: Actor) {
  if (!canSomewhere(actor, 'documents.read')) throw new AppError('FORBIDDEN');
}

export const inForceExport = defineExportKind<Params>(IN_FORCE_EXPORT, {
  params,
  formats: ['pdf', 'xlsx'],
  authorize: (ex, actor) => authorizeInForce(ex, actor),
  async build(ctx, format) {
    const today = stockholmToday();
    const rows = await inForceRows(ctx.db, ctx.params);
    await ctx.progress(0.2);
    const { model, sheet } = buildInForce(rows, ctx.locale, today);
    model.organisation = (await municipality(ctx.db)) || model.organisation;
    const base = t(ctx.locale, 'documents.inForce.filename', { date: today }).replace(/[\\/:*?"<>|]/g, '');
    if (format === 'xlsx') return { filename: `${base}.xlsx`, body: await renderXlsx([sheet], { title: model.title }) };
    return { filename: `${base}.pdf`, body: await renderPdf(model, (s) => ctx.progress(0.2 + s * 0.8)) };
  },
});
