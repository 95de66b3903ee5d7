import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Executor } from '../../db/client.ts';
import { renderDocx } from '../../lib/documents/docx.ts';
import type { Block, ChartBlock, DocumentModel } from '../../lib/documents/model.ts';
import { SERIES_COLORS } from '../../../shared/charts.ts';
import { renderPdf } from '../../lib/documents/pdf.ts';
import { renderXlsx, type Sheet } from '../../lib/documents/xlsx.ts';
import { AppError } from '../../lib/errors.ts';
import { defineExportKind, type ExportContext } from '../../lib/exports.ts';
import { t, type Locale } from '../../lib/i18n.ts';
import { can, type Actor, type OrgTree } from '../../lib/policies.ts';
import type { ProgramRollup } from '../../../shared/schemas/program.ts';
import { programRepo as repo } from './program.repo.ts';
import { createProgramService } from './program.service.ts';
import { asSubmittedOnly } from './program.shared.ts';
import { todayInStockholm } from '../../lib/time.ts';
import { indicatorsRepo } from './program.indicators.repo.ts';
import { programsRepo } from './program.programs.repo.ts';
import { fulfilmentOf, implementationRate, meanFulfilment } from './indicators.ts';
import { num } from './program.shared.ts';

export const FOLLOWUP_REPORT = 'program.followup-report';
const params = z.object({ roundId: z.uuid() });
type Params = z.infer<typeof params>;

interface ReportRow {
  actionId: string;
  actionTitle: string;
  organisationId: string;
  organisationName: string;
  state: string;
  actionStatus: string | null;
  progress: number | null;
  done: string | null;
  nextSteps: string | null;
  risks: string | null;
  prevProgress?: number | null;
}

/**
 * Everything the report shows, read once: the frozen snapshot of a closed round, or the live data of an open
 * one. Only submitted reports carry their texts and figures into it: a draft (or a returned report being
 * reworked) is the organisation's own until it is sent in, so its row keeps only that it is missing. The goal
 * trend comes from the program's earlier closed rounds' snapshots and this round.
 */
export async function followUpData(ex: Executor, actor: Actor, roundId: string) {
  const round = await repo.findRound(ex, roundId);
  if (!round) throw new AppError('ROUND_NOT_FOUND');
  const program = (await repo.findProgram(ex, round.programId))!;
  const owner = await ex.execute<{ name: string; parent: string | null }>(
    sql`select o.name, p.name as parent from organisations o left join organisations p on p.id = o.parent_id where o.id = ${program.ownerOrganisationId}`,
  );
  let rollup: ProgramRollup;
  let reports: ReportRow[];
  if (round.status === 'closed' && round.snapshot) {
    const snap = round.snapshot as { rollup: ProgramRollup; reports: ReportRow[] };
    rollup = snap.rollup;
    reports = snap.reports;
  } else {
    rollup = await createProgramService({ db: ex as Db }).rollupWith(ex, program, actor);
    reports = (await repo.listReports(ex, { roundId })) as unknown as ReportRow[];
  }
  // Snapshots of rounds closed before this rule kept every report: the same rule applies when reading.
  reports = reports.map(asSubmittedOnly);
  // Earlier rounds of the program, oldest first, each with the goals' progress as it was frozen, then this one.
  const trend = [
    ...(await repo.goalTrend(ex, program.id, round.openedAt)),
    { name: round.name, goals: new Map(rollup.focusAreas.flatMap((f) => f.goals.map((g) => [g.id, g.progress] as const))) },
  ];
  // The goals' indicators and their measured values up to the round's close (an open round: up to today), the
  // programme's figures, the same for every reader.
  const until = round.status === 'closed' && round.closedAt ? todayInStockholm(round.closedAt) : todayInStockholm();
  const focusNo = new Map(rollup.focusAreas.map((f) => [f.id, f.number]));
  const measured = (await indicatorsRepo.valuesOfProgram(ex, program.id)).filter((v) => v.measured_on <= until);
  const indicators = (await programsRepo.listGoals(ex, program.id))
    .filter((g) => g.indicator)
    .map((g) => ({
      goalId: g.id,
      number: `${focusNo.get(g.focusAreaId) ?? ''}.${g.number}`,
      indicator: g.indicator!,
      unit: g.unit,
      baseline: num(g.baseline),
      targetValue: num(g.targetValue),
      targetYear: g.targetYear,
      scaleMin: num(g.scaleMin),
      scaleMax: num(g.scaleMax),
      values: latestPerDay(measured.filter((v) => v.goal_id === g.id)),
    }));
  return { round, program, ownerName: owner.rows[0]?.name ?? '', municipality: owner.rows[0]?.parent ?? '', rollup, reports, trend, indicators };
}

/** One value per day, oldest first: a hand-entered value over a round's over an import's (the rows come in that order). */
function latestPerDay(rows: { measured_on: string; value: string; period: string | null }[]) {
  const out = new Map<string, { measuredOn: string; value: number; period: string | null }>();
  for (const r of rows) if (!out.has(r.measured_on)) out.set(r.measured_on, { measuredOn: r.measured_on, value: Number(r.value), period: r.period });
  return [...out.values()];
}
type Data = Awaited<ReturnType<typeof followUpData>>;

/** A chart's alt text: its kind, then every value in words. `bySeries`: grouped by series (a line per goal), else by category. */
function describe(kind: string, chart: Omit<ChartBlock, 'alt'>, noValue: string, bySeries = false) {
  const value = (s: ChartBlock['series'][number], i: number) => (s.values[i] === null ? noValue : (s.labels?.[i] ?? String(s.values[i])));
  const parts = bySeries
    ? chart.series.map((s) => `${s.name}: ${chart.categories.map((c, i) => `${c} ${value(s, i)}`).join(', ')}`)
    : chart.categories.map((c, i) => `${c}: ${chart.series.map((s) => `${s.name.toLocaleLowerCase()} ${value(s, i)}`).join(', ')}`);
  return `${kind}. ${chart.title}. ${parts.join('; ')}.`;
}

const STATUS_COLORS: Record<string, string> = { not_started: '#8A949E', in_progress: '#1F5F8B', done: '#2E7D32', delayed: '#C62828', cancelled: '#C9CED3' };

export function buildFollowUpModel(d: Data, locale: Locale): { model: DocumentModel<Block>; sheets: Sheet[] } {
  const L = (key: string, vars?: Record<string, string | number>) => t(locale, `report.${key}`, vars);
  const pct = new Intl.NumberFormat(locale === 'sv' ? 'sv-SE' : 'en-GB', { maximumFractionDigits: 1 });
  const p = (v: number | null | undefined) => (v === null || v === undefined ? '–' : `${pct.format(v)} %`);
  const health = (h: string) => L(`health.${h}`);
  const status = (s: string | null) => (s ? L(`actionStatus.${s}`) : '–');
  const c = (k: string) => L(`followup.col.${k}`);
  const today = todayInStockholm();

  // Each action's current state and goal, from the roll-up.
  const actionInfo = new Map<string, { status: string; progress: number | null; goal: string }>();
  for (const f of d.rollup.focusAreas) for (const g of f.goals) for (const a of g.actions ?? []) actionInfo.set(a.id, { status: a.status, progress: a.progress, goal: `${f.number}.${g.number}` });
  const isSubmitted = (r: ReportRow) => r.state === 'submitted';
  const submitted = d.reports.filter(isSubmitted).length;
  const counts = d.rollup.statusCounts;
  const reportState = (r: ReportRow) => (isSubmitted(r) ? L('reportState.submitted') : L('followup.notSubmitted'));

  const summaryRows = d.rollup.focusAreas.map((f) => [String(f.number), f.title, p(f.progress), health(f.health), String(f.actionCount), String(f.statusCounts.done), String(f.statusCounts.delayed)]);
  const reportsSorted = [...d.reports].sort((a, b) => a.organisationName.localeCompare(b.organisationName, 'sv') || a.actionTitle.localeCompare(b.actionTitle, 'sv'));
  const actionRows = reportsSorted.map((r) => {
    const info = actionInfo.get(r.actionId);
    const comment = [r.done, r.nextSteps ? `${c('nextSteps')}: ${r.nextSteps}` : null].filter(Boolean).join('\n');
    return [r.actionTitle, r.organisationName, status(r.actionStatus ?? info?.status ?? null), p(r.progress ?? info?.progress), reportState(r), comment || '–'];
  });

  // Organisations with reports not sent in: listed as missing, never with a draft's content.
  const byOrgAll = new Map<string, ReportRow[]>();
  for (const r of reportsSorted) byOrgAll.set(r.organisationName, [...(byOrgAll.get(r.organisationName) ?? []), r]);
  const missingLines = [...byOrgAll.entries()]
    .map(([organisation, rows]) => ({ organisation, rows, missing: rows.filter((r) => !isSubmitted(r)) }))
    .filter((o) => o.missing.length > 0)
    .map((o) => L('followup.missingOrg', { organisation: o.organisation, missing: o.missing.length, total: o.rows.length, actions: o.missing.map((r) => r.actionTitle).join('; ') }));

  // The summary page's charts.
  const areaName = (f: { number: number | null; title: string }) => `${f.number}. ${f.title}`;
  const doneShare = (f: { statusCounts: Record<string, number>; actionCount: number }) => {
    const counted = f.actionCount - (f.statusCounts.cancelled ?? 0);
    return counted > 0 ? Math.round((f.statusCounts.done / counted) * 1000) / 10 : null;
  };
  const noValue = L('followup.chart.noValue');
  const chart = (kind: ChartBlock['kind'], c0: Omit<ChartBlock, 'type' | 'kind' | 'alt'>, bySeries = false): ChartBlock => {
    const base = { type: 'chart' as const, kind, ...c0 };
    return { ...base, alt: describe(L(`followup.chart.${kind}`), base, noValue, bySeries) };
  };
  const series = (name: string, values: (number | null)[], color: string, fmt: (v: number | null) => string = p) => ({ name, values, labels: values.map(fmt), color });
  const charts: ChartBlock[] = [];
  if (d.rollup.focusAreas.length) {
    charts.push(
      chart('bar', {
        title: L('followup.chart.byArea'),
        categories: d.rollup.focusAreas.map(areaName),
        series: [
          series(L('followup.chart.progress'), d.rollup.focusAreas.map((f) => f.progress), SERIES_COLORS[0]),
          series(L('followup.chart.doneShare'), d.rollup.focusAreas.map(doneShare), SERIES_COLORS[1]),
        ],
        max: 100,
        unit: '%',
      }),
    );
    const goals = d.rollup.focusAreas.flatMap((f) => f.goals.map((g) => ({ id: g.id, label: L('followup.chart.goal', { number: `${f.number}.${g.number}` }) })));
    if (goals.length)
      charts.push(
        chart(
          'line',
          {
            title: L('followup.chart.trend'),
            categories: d.trend.map((r) => r.name),
            series: goals.map((g, i) => series(g.label, d.trend.map((r) => r.goals.get(g.id) ?? null), SERIES_COLORS[i % SERIES_COLORS.length])),
            max: 100,
            unit: '%',
          },
          true,
        ),
      );
    const statuses = ['done', 'in_progress', 'not_started', 'delayed', 'cancelled'] as const;
    charts.push(
      chart('stackedBar', {
        title: L('followup.chart.status'),
        categories: d.rollup.focusAreas.map(areaName),
        series: statuses.map((s) => series(L(`actionStatus.${s}`), d.rollup.focusAreas.map((f) => f.statusCounts[s] ?? 0), STATUS_COLORS[s], (v) => String(v ?? 0))),
      }),
    );
  }

  // Indicators: goal fulfilment from measured values, apart from the implementation rate (issue #11 item 4).
  const I = (key: string, vars?: Record<string, string | number>) => L(`followup.indicators.${key}`, vars);
  const num1 = new Intl.NumberFormat(locale === 'sv' ? 'sv-SE' : 'en-GB', { maximumFractionDigits: 2 });
  const withUnit = (v: number | null, unit: string | null) => (v === null ? '–' : `${num1.format(v)}${unit ? ` ${unit}` : ''}`);
  const indicatorRows = d.indicators.map((ind) => {
    const last = ind.values.at(-1) ?? null;
    return { ind, last, ...fulfilmentOf(ind, last?.value ?? null) };
  });
  const programFulfilment = meanFulfilment(indicatorRows.map((r) => r.fulfilment));
  const indicatorBlocks: Block[] = [{ type: 'heading', level: 2, text: I('heading') }, { type: 'paragraph', text: I('intro') }];
  indicatorBlocks.push({
    type: 'paragraph',
    text: I('summary', { fulfilment: p(programFulfilment), measured: indicatorRows.filter((r) => r.last).length, goals: d.indicators.length, rate: p(implementationRate(counts)) }),
  });
  if (indicatorRows.length) {
    indicatorBlocks.push({
      type: 'table',
      caption: I('heading'),
      columns: [{ header: I('col.goal'), width: 0.7 }, { header: I('col.indicator'), width: 3 }, { header: I('col.baseline'), width: 1.3 }, { header: I('col.latest'), width: 1.8 }, { header: I('col.target'), width: 1.5 }, { header: I('col.fulfilment'), width: 1.4 }],
      rows: indicatorRows.map(({ ind, last, fulfilment }) => [
        ind.number,
        ind.indicator,
        withUnit(ind.baseline, ind.unit),
        last ? I('latest', { value: withUnit(last.value, ind.unit), date: last.period ?? last.measuredOn }) : '–',
        ind.targetYear ? I('targetIn', { value: withUnit(ind.targetValue, ind.unit), year: ind.targetYear }) : withUnit(ind.targetValue, ind.unit),
        p(fulfilment),
      ]),
    });
    // One trend chart per goal with measured values: the values over time against the baseline and the target.
    for (const { ind } of indicatorRows.filter((r) => r.last)) {
      const categories = ind.values.map((v) => v.period ?? v.measuredOn);
      const fmt = (v: number | null) => withUnit(v, ind.unit);
      const flat = (v: number | null) => categories.map(() => v);
      indicatorBlocks.push(
        chart(
          'line',
          {
            title: I('trendTitle', { number: ind.number, indicator: ind.indicator }),
            categories,
            series: [
              series(I('measured'), ind.values.map((v) => v.value), SERIES_COLORS[0], fmt),
              ...(ind.baseline !== null ? [{ ...series(I('baseline'), flat(ind.baseline), SERIES_COLORS[2], fmt), dashed: true }] : []),
              ...(ind.targetValue !== null ? [{ ...series(I('target'), flat(ind.targetValue), SERIES_COLORS[1], fmt), dashed: true }] : []),
            ],
            ...(ind.scaleMax !== null ? { max: ind.scaleMax } : ind.unit && /^\s*%\s*$/.test(ind.unit) ? { max: 100 } : {}),
            ...(ind.unit ? { unit: ind.unit } : {}),
          },
          true,
        ),
      );
    }
  } else indicatorBlocks.push({ type: 'paragraph', text: I('none') });

  const blocks: Block[] = [
    { type: 'heading', level: 1, text: L('followup.summary') },
    {
      type: 'paragraph',
      text: L('followup.summaryText', { progress: p(d.rollup.progress), health: health(d.rollup.health), actions: d.rollup.actionCount, done: counts.done, delayed: counts.delayed }),
    },
    ...charts,
    {
      type: 'table',
      caption: L('followup.focusAreas'),
      columns: [{ header: c('number'), width: 0.6 }, { header: c('focusArea'), width: 3 }, { header: c('progress'), width: 1.3 }, { header: c('health'), width: 1.4 }, { header: c('actions'), width: 1 }, { header: c('done'), width: 1.1 }, { header: c('delayed'), width: 1.1 }],
      rows: summaryRows,
    },
    { type: 'heading', level: 2, text: L('followup.missing') },
    ...(missingLines.length
      ? [{ type: 'paragraph' as const, text: L('followup.missingIntro') }, ...missingLines.map((text) => ({ type: 'paragraph' as const, text }))]
      : [{ type: 'paragraph' as const, text: L('followup.allSubmitted') }]),
    ...indicatorBlocks,
  ];
  for (const f of d.rollup.focusAreas) {
    blocks.push({ type: 'heading', level: 2, text: `${f.number}. ${f.title}` });
    blocks.push({
      type: 'table',
      caption: L('followup.goals'),
      columns: [{ header: c('number'), width: 0.6 }, { header: c('goal'), width: 4 }, { header: c('progress'), width: 1.3 }, { header: c('health'), width: 1.4 }, { header: c('actions'), width: 1 }],
      rows: f.goals.map((g) => [`${f.number}.${g.number}`, g.title, p(g.progress), health(g.health), String(g.actionCount)]),
    });
  }
  blocks.push({ type: 'pageBreak' }, { type: 'heading', level: 1, text: L('followup.actions') });
  blocks.push({
    type: 'table',
    columns: [{ header: c('action'), width: 3 }, { header: c('responsible'), width: 2 }, { header: c('status'), width: 1.2 }, { header: c('completion'), width: 1.2 }, { header: c('report'), width: 1.2 }, { header: c('comment'), width: 3.5 }],
    rows: actionRows,
  });
  // One appendix per organisation that has sent in reports, with only those reports.
  blocks.push({ type: 'pageBreak' }, { type: 'heading', level: 1, text: L('followup.appendices') });
  const byOrg = new Map<string, ReportRow[]>();
  for (const r of reportsSorted.filter(isSubmitted)) byOrg.set(r.organisationName, [...(byOrg.get(r.organisationName) ?? []), r]);
  if (!byOrg.size) blocks.push({ type: 'paragraph', text: L('followup.noReports') });
  [...byOrg.entries()].forEach(([org, rows], i) => {
    blocks.push({ type: 'heading', level: 2, text: L('followup.appendix', { n: i + 1, organisation: org }) });
    blocks.push({
      type: 'table',
      columns: [{ header: c('action'), width: 2.5 }, { header: c('status'), width: 1.1 }, { header: c('completion'), width: 1.1 }, { header: c('whatDone'), width: 2.5 }, { header: c('nextSteps'), width: 2 }, { header: c('risks'), width: 2 }],
      rows: rows.map((r) => [r.actionTitle, status(r.actionStatus), p(r.progress), r.done ?? '–', r.nextSteps ?? '–', r.risks ?? '–']),
    });
  });

  const model: DocumentModel<Block> = {
    organisation: [d.municipality, d.ownerName].filter(Boolean).join(' — '),
    title: L('followup.title', { round: d.round.name }),
    subtitle: d.program.title,
    lang: locale === 'sv' ? 'sv-SE' : 'en-GB',
    footer: `${d.program.title} — ${d.round.name}`,
    meta: [
      { label: L('followup.program'), value: d.program.title },
      ...(d.program.decisionRef ? [{ label: L('followup.decision'), value: `${d.program.adoptedBy ?? ''} ${d.program.decisionRef}`.trim() }] : []),
      { label: L('followup.round'), value: d.round.name },
      { label: L('followup.deadline'), value: d.round.deadline },
      { label: L('followup.roundStatus'), value: d.round.status === 'closed' ? L('followup.closed', { date: (d.round.closedAt ? todayInStockholm(d.round.closedAt) : '') }) : L('followup.open') },
      { label: L('followup.submittedShare'), value: L('followup.ofTotal', { done: submitted, total: d.reports.length }) },
      { label: L('followup.generated'), value: today },
    ],
    blocks,
  };

  const sheets: Sheet[] = [
    {
      name: L('followup.focusAreas'),
      columns: ['number', 'focusArea', 'progress', 'health', 'actions', 'done', 'delayed'].map((k) => ({ header: c(k), key: k, width: k === 'focusArea' ? 40 : 14 })),
      rows: d.rollup.focusAreas.map((f) => ({ number: f.number, focusArea: f.title, progress: f.progress, health: health(f.health), actions: f.actionCount, done: f.statusCounts.done, delayed: f.statusCounts.delayed })),
    },
    {
      name: L('followup.goals'),
      columns: ['number', 'goal', 'progress', 'health', 'actions'].map((k) => ({ header: c(k), key: k, width: k === 'goal' ? 60 : 14 })),
      rows: d.rollup.focusAreas.flatMap((f) => f.goals.map((g) => ({ number: `${f.number}.${g.number}`, goal: g.title, progress: g.progress, health: health(g.health), actions: g.actionCount }))),
    },
    {
      name: L('followup.actions'),
      columns: ['goal', 'action', 'responsible', 'status', 'completion', 'previous', 'report', 'whatDone', 'nextSteps', 'risks'].map((k) => ({ header: c(k), key: k, width: ['action', 'whatDone', 'nextSteps', 'risks'].includes(k) ? 40 : 16 })),
      rows: reportsSorted.map((r) => ({
        goal: actionInfo.get(r.actionId)?.goal ?? '',
        action: r.actionTitle,
        responsible: r.organisationName,
        status: status(r.actionStatus ?? actionInfo.get(r.actionId)?.status ?? null),
        completion: r.progress ?? actionInfo.get(r.actionId)?.progress ?? null,
        previous: r.prevProgress ?? null,
        report: reportState(r),
        whatDone: r.done,
        nextSteps: r.nextSteps,
        risks: r.risks,
      })),
    },
  ];
  return { model, sheets };
}

/** The report covers every organisation: it is for those who see the whole program. */
export async function authorizeFollowUpReport(ex: Executor, actor: Actor, tree: OrgTree, p: Params) {
  const round = await repo.findRound(ex, p.roundId);
  if (!round) throw new AppError('ROUND_NOT_FOUND');
  const program = (await repo.findProgram(ex, round.programId))!;
  if (!can(actor, 'program.read', program.ownerOrganisationId, tree)) throw new AppError('FORBIDDEN');
}

export const followupReportExport = defineExportKind<Params>(FOLLOWUP_REPORT, {
  params,
  formats: ['docx', 'pdf', 'xlsx'],
  authorize: authorizeFollowUpReport,
  async build(ctx: ExportContext<Params>, format) {
    const data = await followUpData(ctx.db, ctx.actor, ctx.params.roundId);
    await ctx.progress(0.1);
    const { model, sheets } = buildFollowUpModel(data, ctx.locale);
    const scaled = (s: number) => ctx.progress(0.1 + s * 0.9);
    const base = `${t(ctx.locale, 'report.followup.title', { round: data.round.name })}`.replace(/[\\/:*?"<>|]/g, '').replace(/\s+/g, ' ');
    if (format === 'xlsx') return { filename: `${base}.xlsx`, body: await renderXlsx(sheets, { title: model.title }) };
    if (format === 'pdf') return { filename: `${base}.pdf`, body: await renderPdf(model, scaled) };
    return { filename: `${base}.docx`, body: await renderDocx(model, scaled) };
  },
});
