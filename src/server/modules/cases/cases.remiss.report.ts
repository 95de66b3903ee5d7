import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Executor } from '../../db/client.ts';
import { renderDocx } from '../../lib/documents/docx.ts';
import type { Block, DocumentModel } from '../../lib/documents/model.ts';
import { renderPdf } from '../../lib/documents/pdf.ts';
import { AppError } from '../../lib/errors.ts';
import { defineExportKind } from '../../lib/exports.ts';
import { t, type Locale } from '../../lib/i18n.ts';
import type { Actor, OrgTree } from '../../lib/policies.ts';
import { formatRecordNumber } from './cases.core.ts';
import { accessOf, caseVisibleSql, logSecretReads, recordSecretHiddenSql, type Access } from '../../access/index.ts';
import { todayInStockholm } from '../../lib/time.ts';

/** The sammanställning: every reply of a remiss round (recipient, date, body/§ or "inget att erinra", text). */
export const REMISS_COMPILATION = 'cases.remiss-compilation';
const params = z.object({ roundId: z.uuid() });
type Params = z.infer<typeof params>;

/** Readers of the case may have the compilation; anyone else learns nothing of the round. */
export async function authorizeCompilation(ex: Executor, actor: Actor, tree: OrgTree, p: Params) {
  const r = await ex.execute(sql`
    select 1 from remiss_rounds o join cases c on c.id = o.case_id where o.id = ${p.roundId} and ${caseVisibleSql(accessOf(actor, tree))}`);
  if (!r.rows.length) throw new AppError('REMISS_ROUND_NOT_FOUND');
}

/** The round and its replies as `access` may read them: a secrecy-marked reply the reader may not read shows that it came, not what it says. */
export async function compilationData(ex: Executor, roundId: string, access: Access) {
  const round = (
    await ex.execute<{
      title: string; letter: string; sent_on: string; status: string; closed_at: Date | null; registry_number: string; case_title: string;
      organisation: string; municipality: string | null; decision: string | null;
    }>(sql`
      select o.title, o.letter, o.sent_on::text as sent_on, o.status, o.closed_at, c.registry_number, c.title as case_title,
             g.name as organisation, m.name as municipality,
             case when d.id is null then null when d.decided_on is null then coalesce(b.short_name, b.name) || ': ' || d.title
                  else coalesce(b.short_name, b.name) || ' ' || d.decided_on::text || coalesce(' § ' || d.paragraph, '') end as decision
      from remiss_rounds o join cases c on c.id = o.case_id
      join organisations g on g.id = c.registry_organisation_id
      left join organisations m on m.type = 'municipality' and m.parent_id is null
      left join decisions d on d.id = o.decision_id
      left join organisations b on b.id = d.body_organisation_id
      where o.id = ${roundId} limit 1`)
  ).rows[0];
  if (!round) throw new AppError('REMISS_ROUND_NOT_FOUND');
  const recipients = await ex.execute<{
    name: string; reply_by: string; status: string; received_on: string | null; kind: string | null; deciding_body: string | null; decided_on: string | null;
    paragraph: number | null; text: string | null; seq: number | null; filename: string | null; secret: boolean; secret_record_id: string | null;
  }>(sql`
    select g.name, p.reply_by::text as reply_by, p.status, y.received_on::text as received_on, y.kind, y.deciding_body, y.decided_on::text as decided_on,
           y.paragraph, case when h.hidden then null else y.text end as text, r.seq, case when h.hidden then null else f.filename end as filename,
           coalesce(h.hidden, false) as secret, case when r.secrecy_ref is not null and not coalesce(h.hidden, false) then r.id end as secret_record_id
    from remiss_recipients p join organisations g on g.id = p.organisation_id
    left join remiss_replies y on y.recipient_id = p.id
    left join case_records r on r.id = y.record_id
    left join cases c on c.id = r.case_id
    left join lateral (select ${recordSecretHiddenSql(access)} as hidden) h on true
    left join lateral (select filename from case_record_files where record_id = r.id order by created_at desc limit 1) f on true
    where p.round_id = ${roundId}
    order by y.received_on nulls last, g.name`);
  return { round, recipients: recipients.rows };
}

export function buildCompilationModel(d: Awaited<ReturnType<typeof compilationData>>, locale: Locale): DocumentModel {
  const L = (key: string, vars?: Record<string, string | number>) => t(locale, `remiss.compilation.${key}`, vars);
  const answered = d.recipients.filter((r) => r.status === 'answered');
  const missing = d.recipients.filter((r) => r.status !== 'answered').sort((a, b) => a.name.localeCompare(b.name, 'sv'));
  const decisionOf = (r: (typeof answered)[number]) =>
    r.kind === 'decision'
      ? L('decisionRef', { body: r.deciding_body ?? r.name, date: r.decided_on ?? '', paragraph: r.paragraph ?? '' })
      : r.kind === 'no_objection'
        ? L('noObjection')
        : L('plainReply');
  const summary = (text: string | null, secret = false) => (secret ? L('secret') : text ? (text.length > 300 ? `${text.slice(0, 297)}…` : text) : '–');
  const blocks: Block[] = [
    { type: 'heading', level: 1, text: L('overview') },
    answered.length
      ? {
          type: 'table',
          columns: [{ header: L('col.recipient'), width: 2.2 }, { header: L('col.received'), width: 1.2 }, { header: L('col.decision'), width: 2 }, { header: L('col.summary'), width: 4 }],
          rows: answered.map((r) => [r.name, r.received_on ?? '', decisionOf(r), summary(r.text, r.secret)]),
        }
      : { type: 'paragraph', text: L('noReplies'), muted: true },
    { type: 'heading', level: 1, text: L('replies') },
  ];
  for (const r of answered) {
    blocks.push({ type: 'heading', level: 2, text: r.name });
    blocks.push({
      type: 'paragraph',
      text: [
        `${L('col.received')}: ${r.received_on}`,
        `${L('col.decision')}: ${decisionOf(r)}`,
        r.seq !== null ? `${L('col.record')}: ${formatRecordNumber(d.round.registry_number, r.seq)}` : '',
        r.filename ? L('attachment', { filename: r.filename }) : '',
      ].filter(Boolean).join('\n'),
      muted: true,
    });
    blocks.push({ type: 'paragraph', text: r.secret ? L('secret') : (r.text ?? (r.kind === 'no_objection' ? L('noObjection') : L('noText'))) });
  }
  blocks.push({ type: 'heading', level: 1, text: L('missing') });
  blocks.push(
    missing.length
      ? { type: 'table', columns: [{ header: L('col.recipient'), width: 3 }, { header: L('col.replyBy'), width: 1.2 }], rows: missing.map((r) => [r.name, r.reply_by]) }
      : { type: 'paragraph', text: L('noneMissing'), muted: true },
  );
  return {
    organisation: [d.round.municipality, d.round.organisation].filter(Boolean).join(' — '),
    title: L('title'),
    subtitle: d.round.case_title,
    lang: locale === 'sv' ? 'sv-SE' : 'en-GB',
    footer: `${d.round.registry_number} — ${L('title')}`,
    meta: [
      { label: L('registryNumber'), value: d.round.registry_number },
      { label: L('remiss'), value: d.round.title },
      ...(d.round.decision ? [{ label: L('decision'), value: d.round.decision }] : []),
      { label: L('sentOn'), value: d.round.sent_on },
      { label: L('status'), value: d.round.status === 'closed' ? L('closed', { date: d.round.closed_at ? todayInStockholm(new Date(d.round.closed_at)) : '' }) : L('open') },
      { label: L('answered'), value: L('ofTotal', { answered: answered.length, total: d.recipients.length }) },
      { label: L('generated'), value: todayInStockholm() },
    ],
    blocks,
  };
}

export const remissCompilationExport = defineExportKind<Params>(REMISS_COMPILATION, {
  params,
  formats: ['docx', 'pdf'],
  authorize: authorizeCompilation,
  async build(ctx, format) {
    const data = await compilationData(ctx.db, ctx.params.roundId, accessOf(ctx.actor, ctx.tree));
    // Secret replies the actor may read go into the file: each is a secret read (how: export).
    const secretIds = data.recipients.map((r) => r.secret_record_id).filter((x): x is string => !!x);
    await logSecretReads(ctx.db, { actor: { id: ctx.actor.id, name: ctx.actor.name } }, secretIds.map((id) => ({ type: 'record', id, how: 'export' as const, detail: { kind: REMISS_COMPILATION } })));
    await ctx.progress(0.2);
    const model = buildCompilationModel(data, ctx.locale);
    const base = `${t(ctx.locale, 'remiss.compilation.title')} ${data.round.registry_number}`.replace(/[\\/:*?"<>|]/g, '-').replace(/\s+/g, ' ');
    const scaled = (s: number) => ctx.progress(0.2 + s * 0.8);
    if (format === 'pdf') return { filename: `${base}.pdf`, body: await renderPdf(model, scaled) };
    return { filename: `${base}.docx`, body: await renderDocx(model, scaled) };
  },
});
