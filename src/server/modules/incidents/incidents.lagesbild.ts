import { and, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Executor } from '../../db/client.ts';
import { one, updateVersioned } from '../../db/helpers.ts';
import { lagesbildReports, lagesbildReportVersions } from '../../db/schema/index.ts';
import { recordAudit, type RequestContext } from '../../lib/audit.ts';
import { loadOrgTree } from '../../lib/context.ts';
import { renderDocx } from '../../lib/documents/docx.ts';
import type { Block, DocumentModel } from '../../lib/documents/model.ts';
import { renderPdf } from '../../lib/documents/pdf.ts';
import { AppError } from '../../lib/errors.ts';
import { defineExportKind } from '../../lib/exports.ts';
import type { Locale } from '../../lib/i18n.ts';
import type { Actor, OrgTree } from '../../lib/policies.ts';
import { LAGESBILD_REPORT_EXPORT, type createLagesbildReport, type updateLagesbildReport } from '../../../shared/schemas/lagesbild.ts';
import { addDays, countEvents } from './incidents.weekly.ts';
import { accessOf, incidentOpenSql, logSecretReads, lagesbildReportVisibleSql, maySeeLagesbildSecrets, mayReadLagesbild, mayWriteLagesbild } from '../../access/index.ts';
import { lt } from './lagesbild.messages.ts';
import { crimeStatsBlocks, crimeStatsData, type CrimeStatsData } from './lagesbild.crimestats.ts';
import { decisionInfo, findingBlocks, findingsOf, type FindingOut } from './lagesbild.findings.ts';

type ReportRow = typeof lagesbildReports.$inferSelect;

/** The generated part of the mapping (Lag 2023:196 4 § 1): counts for the period and the same period a year earlier. */
export interface ReportData {
  from: string;
  to: string;
  previousFrom: string;
  previousTo: string;
  totals: { incidents: number; police: number; previousIncidents: number; previousPolice: number };
  /** categoryName null: police events whose type is not mapped to a category. */
  byCategory: { categoryName: string | null; incidents: number; police: number; previousIncidents: number; previousPolice: number }[];
  /** areaName null: outside every area or without position. */
  byArea: { areaName: string | null; total: number; previous: number }[];
  policeByType: { type: string; categoryName: string | null; count: number; previous: number }[];
  /** Restricted and secret incidents are left out (the version of an adopted report for every reader). */
  openOnly?: boolean;
  /** Imported public statistics (Brå's reported crimes, a safety survey) for the latest years up to the period's end. */
  crimeStats?: CrimeStatsData | null;
}

/** The same calendar date a year earlier (29 February → 28 February). */
export function yearEarlier(date: string) {
  const [y, m, d] = date.split('-').map(Number);
  const last = new Date(Date.UTC(y - 1, m, 0)).getUTCDate();
  return `${y - 1}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** Counts for [from, to] (dates, inclusive) and the same dates a year before, over what the actor may see. */
export async function reportData(ex: Executor, actor: Actor, tree: OrgTree, from: string, to: string, opts: { openOnly?: boolean } = {}): Promise<ReportData> {
  const vis = accessOf(actor, tree);
  const previousFrom = yearEarlier(from);
  const previousTo = yearEarlier(to);
  const where = opts.openOnly ? [incidentOpenSql('i')] : [];
  const now = await countEvents(ex, vis, from, addDays(to, 1), { where });
  const before = await countEvents(ex, vis, previousFrom, addDays(previousTo, 1), { where });
  const cat = new Map<string, ReportData['byCategory'][number]>();
  const area = new Map<string, ReportData['byArea'][number]>();
  const type = new Map<string, ReportData['policeByType'][number]>();
  const totals = { incidents: 0, police: 0, previousIncidents: 0, previousPolice: 0 };
  for (const [rows, previous] of [[now, false], [before, true]] as const)
    for (const r of rows) {
      const police = r.source === 'police';
      const c = cat.get(r.categoryName ?? '') ?? { categoryName: r.categoryName, incidents: 0, police: 0, previousIncidents: 0, previousPolice: 0 };
      c[previous ? (police ? 'previousPolice' : 'previousIncidents') : police ? 'police' : 'incidents'] += r.count;
      cat.set(r.categoryName ?? '', c);
      if (police) {
        const t = type.get(r.policeType!) ?? { type: r.policeType!, categoryName: r.categoryName, count: 0, previous: 0 };
        t[previous ? 'previous' : 'count'] += r.count;
        type.set(r.policeType!, t);
      }
      // Unmapped police events count in their own rows, not in the totals or the areas.
      if (police && !r.categoryId) continue;
      totals[previous ? (police ? 'previousPolice' : 'previousIncidents') : police ? 'police' : 'incidents'] += r.count;
      const a = area.get(r.areaName ?? '') ?? { areaName: r.areaName, total: 0, previous: 0 };
      a[previous ? 'previous' : 'total'] += r.count;
      area.set(r.areaName ?? '', a);
    }
  const nullsLast = (a: string | null, b: string | null) => (a === null ? 1 : 0) - (b === null ? 1 : 0);
  return {
    from,
    to,
    previousFrom,
    previousTo,
    totals,
    byCategory: [...cat.values()].sort((a, b) => nullsLast(a.categoryName, b.categoryName) || b.incidents + b.police - (a.incidents + a.police) || (a.categoryName ?? '').localeCompare(b.categoryName ?? '', 'sv')),
    byArea: [...area.values()].sort((a, b) => nullsLast(a.areaName, b.areaName) || b.total - a.total || (a.areaName ?? '').localeCompare(b.areaName ?? '', 'sv')),
    policeByType: [...type.values()].sort((a, b) => b.count - a.count || a.type.localeCompare(b.type, 'sv')),
    ...(opts.openOnly ? { openOnly: true } : {}),
    crimeStats: await crimeStatsData(ex, Number(to.slice(0, 4))),
  };
}

/**
 * The figures of part 1 as `actor` may see them: a draft's live figures over what they may see; an adopted
 * report's frozen figures in full for those who may see restricted and secret incidents, otherwise the
 * version without them (with a note saying so).
 */
export async function reportFigures(ex: Executor, actor: Actor, tree: OrgTree, c: Pick<ReportContent, 'snapshot' | 'openSnapshot' | 'periodFrom' | 'periodTo'>): Promise<ReportData> {
  if (!c.snapshot) return reportData(ex, actor, tree, c.periodFrom, c.periodTo);
  if (maySeeLagesbildSecrets(accessOf(actor, tree))) return c.snapshot;
  // Adopted before the open version was kept: today's figures without restricted incidents, never the full ones.
  return c.openSnapshot ?? reportData(ex, actor, tree, c.periodFrom, c.periodTo, { openOnly: true });
}

/** "+3 (+25 %)", "−2 (−40 %)", "0", or "+3" when there was nothing to compare with. */
export function change(now: number, before: number, locale: Locale) {
  const diff = now - before;
  const sign = diff > 0 ? '+' : diff < 0 ? '−' : '';
  if (diff === 0) return '0';
  if (before === 0) return `${sign}${Math.abs(diff)}`;
  const pct = new Intl.NumberFormat(locale === 'sv' ? 'sv-SE' : 'en-GB', { maximumFractionDigits: 0 }).format(Math.abs(diff / before) * 100);
  return `${sign}${Math.abs(diff)} (${sign}${pct} %)`;
}

/** Part 1's generated text and tables, as the documents and the editor's preview show them. */
export function dataBlocks(d: ReportData, locale: Locale): Block[] {
  const L = (k: string, v?: Record<string, string | number>) => lt(locale, k, v);
  const c = (k: string) => L(`col.${k}`);
  const blocks: Block[] = [
    {
      type: 'paragraph',
      text: L('summary', { from: d.from, to: d.to, incidents: d.totals.incidents, police: d.totals.police, prevIncidents: d.totals.previousIncidents, prevPolice: d.totals.previousPolice }),
    },
  ];
  if (!d.byCategory.length) return [...blocks, { type: 'paragraph', text: L('none'), muted: true }, ...crimeStatsBlocks(d.crimeStats, locale)];
  blocks.push({
    type: 'table',
    caption: L('byCategory'),
    columns: [{ header: c('category'), width: 3 }, { header: c('incidents'), width: 1.3 }, { header: c('police'), width: 1.3 }, { header: c('total'), width: 1 }, { header: c('previous'), width: 1.2 }, { header: c('change'), width: 1.5 }],
    rows: d.byCategory.map((r) => {
      const total = r.incidents + r.police;
      const previous = r.previousIncidents + r.previousPolice;
      return [r.categoryName ?? L('unmappedPolice'), String(r.incidents), String(r.police), String(total), String(previous), change(total, previous, locale)];
    }),
  });
  blocks.push({
    type: 'table',
    caption: L('byArea'),
    columns: [{ header: c('area'), width: 3 }, { header: c('total'), width: 1 }, { header: c('previous'), width: 1.2 }, { header: c('change'), width: 1.5 }],
    rows: d.byArea.map((r) => [r.areaName ?? L('noArea'), String(r.total), String(r.previous), change(r.total, r.previous, locale)]),
  });
  if (d.policeByType.length)
    blocks.push({
      type: 'table',
      caption: L('policeByType'),
      columns: [{ header: c('type'), width: 2.5 }, { header: c('mappedTo'), width: 2.5 }, { header: c('count'), width: 1 }, { header: c('previous'), width: 1.2 }, { header: c('change'), width: 1.5 }],
      rows: d.policeByType.map((r) => [r.type, r.categoryName ?? L('notMapped'), String(r.count), String(r.previous), change(r.count, r.previous, locale)]),
    });
  blocks.push({ type: 'paragraph', text: L('dataNote'), muted: true });
  if (d.openOnly) blocks.push({ type: 'paragraph', text: L('openNote'), muted: true });
  return [...blocks, ...crimeStatsBlocks(d.crimeStats, locale)];
}

/** The coordinator's text as paragraphs (a blank line starts a new one). */
function textBlocks(text: string, locale: Locale): Block[] {
  const parts = text.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
  return parts.length ? parts.map((p) => ({ type: 'paragraph', text: p })) : [{ type: 'paragraph', text: lt(locale, 'noText'), muted: true }];
}

export interface ReportContent {
  title: string;
  periodFrom: string;
  periodTo: string;
  status: 'draft' | 'submitted' | 'adopted';
  mappingText: string;
  otherText: string;
  analysisText: string;
  adoptedAt: string | null;
  /** The decision that adopted it ("KS 2026-03-04 § 12"). */
  decisionReference?: string | null;
  /** The findings as they stood (kept in every version). */
  findings?: { ordinal: number; text: string }[];
  snapshot?: ReportData | null;
  openSnapshot?: ReportData | null;
}
export const contentOf = (r: ReportRow): ReportContent => ({
  title: r.title,
  periodFrom: r.periodFrom,
  periodTo: r.periodTo,
  status: r.status as ReportContent['status'],
  mappingText: r.mappingText,
  otherText: r.otherText,
  analysisText: r.analysisText,
  adoptedAt: r.adoptedAt ? r.adoptedAt.toISOString() : null,
  decisionReference: r.decisionReference,
  snapshot: (r.snapshot as ReportData | null) ?? null,
  openSnapshot: (r.openSnapshot as ReportData | null) ?? null,
});

export function buildReportModel(c: ReportContent, data: ReportData, version: number, municipality: string, locale: Locale, findings: Pick<FindingOut, 'ordinal' | 'text' | 'actions' | 'hiddenActions'>[] = []): DocumentModel {
  const L = (k: string, v?: Record<string, string | number>) => lt(locale, k, v);
  const date = (c.adoptedAt ?? '').slice(0, 10);
  const status =
    c.status === 'adopted' ? (c.decisionReference ? L('adoptedByDecision', { date, reference: c.decisionReference }) : L('adopted', { date })) : c.status === 'submitted' ? L('submitted') : L('draft');
  return {
    organisation: municipality,
    title: c.title,
    subtitle: L('subtitle'),
    lang: locale === 'sv' ? 'sv-SE' : 'en-GB',
    footer: `${c.title} — ${L('version')} ${version}`,
    meta: [
      { label: L('period'), value: `${c.periodFrom}–${c.periodTo}` },
      { label: L('status'), value: status },
      { label: L('version'), value: String(version) },
      { label: L('generated'), value: new Date().toISOString().slice(0, 10) },
    ],
    blocks: [
      { type: 'heading', level: 1, text: L('part1') },
      ...dataBlocks(data, locale),
      { type: 'heading', level: 2, text: L('coordinatorText') },
      ...textBlocks(c.mappingText, locale),
      { type: 'heading', level: 1, text: L('part2') },
      ...textBlocks(c.otherText, locale),
      { type: 'heading', level: 1, text: L('part3') },
      ...textBlocks(c.analysisText, locale),
      ...findingBlocks(findings, locale),
    ],
  };
}

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);
async function names(ex: Executor, ids: (string | null)[]) {
  const want = [...new Set(ids.filter((v): v is string => !!v))];
  if (!want.length) return new Map<string, string>();
  const r = await ex.execute<{ id: string; name: string }>(sql`select id, name from users where id = any(${sql.param(want)}::uuid[])`);
  return new Map(r.rows.map((u) => [u.id, u.name]));
}
const personOf = (m: Map<string, string>, id: string | null) => (id ? { id, name: m.get(id) ?? '' } : null);

/** Read with incidents.read (or manage) on the municipality; write with incidents.manage on it (the access core's rules). */
const mayRead = (actor: Actor, tree: OrgTree) => mayReadLagesbild(accessOf(actor, tree));
const mayWrite = (actor: Actor, tree: OrgTree) => mayWriteLagesbild(accessOf(actor, tree));

async function municipalityName(ex: Executor, tree: OrgTree) {
  if (!tree.rootId) return '';
  const r = await ex.execute<{ name: string }>(sql`select name from organisations where id = ${tree.rootId}`);
  return r.rows[0]?.name ?? '';
}

/** A report's content at a version (the current one when omitted), with the data its part 1 shows. */
export async function reportForDocument(ex: Executor, actor: Actor, tree: OrgTree, id: string, version?: number) {
  const row = await one(ex.select().from(lagesbildReports).where(eq(lagesbildReports.id, id)));
  if (!row) throw new AppError('LAGESBILD_REPORT_NOT_FOUND');
  let content = contentOf(row);
  let at = row.version;
  if (version !== undefined && version !== row.version) {
    const v = await one(ex.select().from(lagesbildReportVersions).where(and(eq(lagesbildReportVersions.reportId, id), eq(lagesbildReportVersions.version, version))));
    if (!v) throw new AppError('LAGESBILD_VERSION_NOT_FOUND');
    content = v.content as ReportContent;
    at = version;
  }
  // An adopted version shows the data as it was adopted; a draft shows today's data.
  const data = await reportFigures(ex, actor, tree, content);
  // The current version's findings with the actions linked to them; an earlier one's as they stood (without links).
  const findings = at === row.version ? await findingsOf(ex, accessOf(actor, tree), id) : (content.findings ?? []).map((f) => ({ ...f, actions: [], hiddenActions: 0 }));
  return { row, content, data, version: at, findings };
}

type ReportAction = 'edit' | 'submit' | 'withdraw' | 'reopen' | 'secrecy';
const ACTIONS_BY_STATUS: Record<string, ReportAction[]> = { draft: ['edit', 'submit', 'secrecy'], submitted: ['withdraw', 'secrecy'], adopted: ['reopen', 'secrecy'] };

const summaryOf = (row: ReportRow, people: Map<string, string>) => ({
  id: row.id,
  title: row.title,
  periodFrom: row.periodFrom,
  periodTo: row.periodTo,
  status: row.status as 'draft' | 'submitted' | 'adopted',
  adoptedAt: iso(row.adoptedAt),
  updatedAt: row.updatedAt.toISOString(),
  updatedBy: personOf(people, row.updatedBy),
  secrecyRef: row.secrecyRef,
  version: row.version,
});

/** The report as the API shows it to `actor`: its figures (the version they may see), findings with their actions, its case. */
export async function reportDetail(ex: Executor, actor: Actor, tree: OrgTree, row: ReportRow, locale: Locale) {
  const people = await names(ex, [row.createdBy, row.updatedBy, row.adoptedBy]);
  const data = await reportFigures(ex, actor, tree, contentOf(row));
  const write = mayWrite(actor, tree);
  return {
    ...summaryOf(row, people),
    mappingText: row.mappingText,
    otherText: row.otherText,
    analysisText: row.analysisText,
    adoptedBy: personOf(people, row.adoptedBy),
    createdAt: row.createdAt.toISOString(),
    createdBy: personOf(people, row.createdBy),
    generated: dataBlocks(data, locale),
    findings: await findingsOf(ex, accessOf(actor, tree), row.id),
    decision: await decisionInfo(ex, row),
    submittedAt: iso(row.submittedAt),
    allowedActions: write ? ACTIONS_BY_STATUS[row.status] : [],
  };
}

/** Keeps the saved state (with the findings as they stand) as a version: never changed or deleted. */
export async function keepVersion(ex: Executor, row: ReportRow, event: 'create' | 'update' | 'submit' | 'withdraw' | 'adopt' | 'reopen', by: string) {
  const f = await ex.execute<{ ordinal: number; text: string }>(sql`select ordinal, text from lagesbild_findings where report_id = ${row.id} order by ordinal`);
  await ex.insert(lagesbildReportVersions).values({ reportId: row.id, version: row.version, event, content: { ...contentOf(row), findings: f.rows.map((x) => ({ ordinal: Number(x.ordinal), text: x.text })) }, savedBy: by });
}

export async function loadReport(ex: Executor, id: string) {
  const row = await one(ex.select().from(lagesbildReports).where(eq(lagesbildReports.id, id)));
  if (!row) throw new AppError('LAGESBILD_REPORT_NOT_FOUND');
  return row;
}

/** A report the actor may change: it exists and is a draft (else 409 in Swedish: adopted, or put forward for decision). */
export function requireDraft(row: ReportRow) {
  if (row.status === 'adopted') throw new AppError('LAGESBILD_REPORT_ADOPTED');
  if (row.status === 'submitted') throw new AppError('LAGESBILD_REPORT_SUBMITTED');
}

export function createLagesbildReports({ db }: { db: Db }) {
  const detail = reportDetail;
  const load = loadReport;
  /** The report, if the actor may read it (a secrecy-marked one only with incidents.manage on the municipality). */
  async function readable(ex: Executor, actor: Actor, tree: OrgTree, id: string) {
    const r = await ex.execute(sql`select 1 from lagesbild_reports l where l.id = ${id} and ${lagesbildReportVisibleSql(accessOf(actor, tree))}`);
    if (!r.rows.length) throw new AppError('LAGESBILD_REPORT_NOT_FOUND');
    return load(ex, id);
  }

  return {
    async list(actor: Actor) {
      const access = accessOf(actor, await loadOrgTree(db));
      const rows = await db.select().from(lagesbildReports).where(lagesbildReportVisibleSql(access, 'lagesbild_reports')).orderBy(desc(lagesbildReports.periodFrom), desc(lagesbildReports.createdAt));
      const people = await names(db, rows.map((r) => r.updatedBy));
      return { items: rows.map((r) => summaryOf(r, people)) };
    },

    /** With `ctx`, opening a secret report is logged as a secret read. */
    async get(actor: Actor, id: string, locale: Locale, ctx?: RequestContext) {
      const tree = await loadOrgTree(db);
      const d = await detail(db, actor, tree, await readable(db, actor, tree, id), locale);
      if (ctx && d.secrecyRef) await logSecretReads(db, ctx, [{ type: 'lagesbild_report', id, how: 'open' }]);
      return d;
    },

    async create(ctx: RequestContext, actor: Actor, input: z.infer<typeof createLagesbildReport>, locale: Locale) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const [row] = await tx
          .insert(lagesbildReports)
          .values({ title: input.title, periodFrom: input.periodFrom, periodTo: input.periodTo, mappingText: input.mappingText ?? '', otherText: input.otherText ?? '', analysisText: input.analysisText ?? '', createdBy: actor.id, updatedBy: actor.id })
          .returning();
        await keepVersion(tx, row, 'create', actor.id);
        await recordAudit(tx, ctx, { entityType: 'lagesbild_report', entityId: row.id, action: 'create', after: row });
        return detail(tx, actor, tree, row, locale);
      });
    },

    async update(ctx: RequestContext, actor: Actor, id: string, input: z.infer<typeof updateLagesbildReport>, locale: Locale) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const before = await load(tx, id);
        requireDraft(before);
        const { version, ...changes } = input;
        const from = changes.periodFrom ?? before.periodFrom;
        const to = changes.periodTo ?? before.periodTo;
        if (to < from) throw new AppError('VALIDATION_FAILED', [{ path: changes.periodTo ? 'periodTo' : 'periodFrom', message: 'END_BEFORE_START' }]);
        const row = await updateVersioned(tx, lagesbildReports, id, version, { ...changes, updatedBy: actor.id });
        if (!row) throw new AppError('VERSION_CONFLICT');
        await keepVersion(tx, row, 'update', actor.id);
        await recordAudit(tx, ctx, { entityType: 'lagesbild_report', entityId: id, action: 'update', before, after: row });
        return detail(tx, actor, tree, row, locale);
      });
    },

    /** Starts a new version of an adopted report: a draft again, out of its case; the adopted version stays in the versions. */
    async reopen(ctx: RequestContext, actor: Actor, id: string, version: number, locale: Locale) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const before = await load(tx, id);
        if (before.status !== 'adopted') throw new AppError('LAGESBILD_REPORT_NOT_ADOPTED');
        const row = await updateVersioned(tx, lagesbildReports, id, version, {
          status: 'draft', snapshot: null, openSnapshot: null, adoptedAt: null, adoptedBy: null, updatedBy: actor.id,
          caseId: null, recordId: null, decisionClauseId: null, adoptedByDecisionId: null, decisionReference: null, submittedAt: null, submittedBy: null,
        });
        if (!row) throw new AppError('VERSION_CONFLICT');
        await keepVersion(tx, row, 'reopen', actor.id);
        await recordAudit(tx, ctx, { entityType: 'lagesbild_report', entityId: id, action: 'reopen', before, after: row });
        return detail(tx, actor, tree, row, locale);
      });
    },

    async versions(actor: Actor, id: string) {
      await readable(db, actor, await loadOrgTree(db), id);
      const rows = await db.select().from(lagesbildReportVersions).where(eq(lagesbildReportVersions.reportId, id)).orderBy(desc(lagesbildReportVersions.version));
      const people = await names(db, rows.map((r) => r.savedBy));
      return {
        items: rows.map((r) => {
          const c = r.content as ReportContent;
          return { version: r.version, event: r.event as 'create', status: c.status, title: c.title, savedBy: personOf(people, r.savedBy), savedAt: r.savedAt.toISOString() };
        }),
      };
    },

    async version(actor: Actor, id: string, version: number, locale: Locale) {
      const tree = await loadOrgTree(db);
      await readable(db, actor, tree, id);
      const v = await one(db.select().from(lagesbildReportVersions).where(and(eq(lagesbildReportVersions.reportId, id), eq(lagesbildReportVersions.version, version))));
      if (!v) throw new AppError('LAGESBILD_VERSION_NOT_FOUND');
      const c = v.content as ReportContent;
      const data = await reportFigures(db, actor, tree, c);
      const people = await names(db, [v.savedBy]);
      return {
        version: v.version,
        event: v.event as 'create',
        savedBy: personOf(people, v.savedBy),
        savedAt: v.savedAt.toISOString(),
        content: { title: c.title, periodFrom: c.periodFrom, periodTo: c.periodTo, status: c.status, mappingText: c.mappingText, otherText: c.otherText, analysisText: c.analysisText, adoptedAt: c.adoptedAt, findings: c.findings ?? [] },
        generated: dataBlocks(data, locale),
      };
    },
  };
}

const exportParams = z.object({ reportId: z.uuid(), version: z.number().int().min(1).max(2_147_483_647).optional() });
type ExportParams = z.infer<typeof exportParams>;

export const lagesbildReportExport = defineExportKind<ExportParams>(LAGESBILD_REPORT_EXPORT, {
  params: exportParams,
  formats: ['docx', 'pdf'],
  async authorize(ex, actor, tree, p) {
    if (!mayRead(actor, tree)) throw new AppError('FORBIDDEN');
    const row = await one(
      ex.select({ id: lagesbildReports.id, version: lagesbildReports.version }).from(lagesbildReports)
        .where(and(eq(lagesbildReports.id, p.reportId), lagesbildReportVisibleSql(accessOf(actor, tree), 'lagesbild_reports'))),
    );
    if (!row) throw new AppError('LAGESBILD_REPORT_NOT_FOUND');
    if (p.version !== undefined && p.version > row.version) throw new AppError('LAGESBILD_VERSION_NOT_FOUND');
  },
  async build(ctx, format) {
    const { row, content, data, version, findings } = await reportForDocument(ctx.db, ctx.actor, ctx.tree, ctx.params.reportId, ctx.params.version);
    // Exporting a secret report is a read of it, in the read log like opening it.
    if (row.secrecyRef) await logSecretReads(ctx.db, { actor: { id: ctx.actor.id, name: ctx.actor.name } }, [{ type: 'lagesbild_report', id: row.id, how: 'export', detail: { kind: LAGESBILD_REPORT_EXPORT, version } }]);
    await ctx.progress(0.2);
    const model = buildReportModel(content, data, version, await municipalityName(ctx.db, ctx.tree), ctx.locale, findings);
    const scaled = (s: number) => ctx.progress(0.2 + s * 0.8);
    const base = `${content.title} v${version}`.replace(/[\\/:*?"<>|]/g, '').replace(/\s+/g, ' ').trim();
    if (format === 'pdf') return { filename: `${base}.pdf`, body: await renderPdf(model, scaled) };
    return { filename: `${base}.docx`, body: await renderDocx(model, scaled) };
  },
});
