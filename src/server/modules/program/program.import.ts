import { z } from 'zod';
import type { Db, Executor } from '../../db/client.ts';
import { planActions } from '../../db/schema/index.ts';
import { recordAudit, type RequestContext } from '../../lib/audit.ts';
import { loadOrgTree } from '../../lib/context.ts';
import { toCsv } from '../../lib/documents/csv.ts';
import { renderXlsx } from '../../lib/documents/xlsx.ts';
import { AppError } from '../../lib/errors.ts';
import { readTableFile } from '../../lib/documents/tablefile.ts';
import { defineExportKind } from '../../lib/exports.ts';
import { t, type Locale } from '../../lib/i18n.ts';
import { can, type Actor, type OrgTree } from '../../lib/policies.ts';
import { ACTION_STATUSES, SUB_AREAS } from '../../../shared/schemas/program.ts';
import { programRepo as repo, type ActionListRow } from './program.repo.ts';
import { sql } from 'drizzle-orm';

/**
 * The plan as a spreadsheet: one row per action, Swedish column names, organisations by name,
 * statuses and sub-areas by their Swedish labels. An exported plan re-imports to the same plan
 * (rows with an Id update that action, rows without one create a new action).
 */
export const PLAN_EXPORT = 'program.plan';
export const MAX_IMPORT_ROWS = 10_000;
const COLUMNS = ['id', 'focusArea', 'goal', 'parent', 'title', 'description', 'responsible', 'contributors', 'contact', 'start', 'end', 'status', 'progress', 'weight', 'subAreas'] as const;
type Column = (typeof COLUMNS)[number];
const REQUIRED: Column[] = ['focusArea', 'goal', 'title', 'responsible'];
/** Column headers are always Swedish, so that a file moves between users of either language. */
const header = (c: Column) => t('sv', `report.plan.col.${c}`);

interface PlanContext {
  goals: Map<string, string>; // "2.1" → goal id
  goalKey: Map<string, string>; // goal id → "2.1"
  actions: ActionListRow[];
  orgs: { id: string; name: string; shortName: string | null; key: string | null; active: boolean }[];
}

async function loadPlan(ex: Executor, programId: string): Promise<PlanContext> {
  const focus = await repo.listFocusAreas(ex, programId);
  const goals = await repo.listGoals(ex, programId);
  const areaNo = new Map(focus.map((f) => [f.id, f.number]));
  const goalsByKey = new Map(goals.map((g) => [`${areaNo.get(g.focusAreaId)}.${g.number}`, g.id]));
  const orgs = await ex.execute<{ id: string; name: string; short_name: string | null; key: string | null; active: boolean }>(sql`select id, name, short_name, key, active from organisations`);
  return {
    goals: goalsByKey,
    goalKey: new Map([...goalsByKey].map(([k, v]) => [v, k])),
    actions: await repo.listActions(ex, { programId }),
    orgs: orgs.rows.map((o) => ({ id: o.id, name: o.name, shortName: o.short_name, key: o.key, active: o.active })),
  };
}

function planRows(plan: PlanContext) {
  const orgName = new Map(plan.orgs.map((o) => [o.id, o.name]));
  const sv = (key: string) => t('sv', key);
  return plan.actions.map((a) => {
    const [area, goal] = (plan.goalKey.get(a.goalId) ?? '.').split('.');
    const row: Record<Column, string | number | null> = {
      id: a.id,
      focusArea: Number(area),
      goal: Number(goal),
      parent: a.parentActionId,
      title: a.title,
      description: a.description,
      responsible: orgName.get(a.responsibleOrganisationId) ?? '',
      contributors: a.contributorIds.map((id) => orgName.get(id)).filter(Boolean).join('; '),
      contact: a.contactPerson,
      start: a.startDate,
      end: a.endDate,
      status: sv(`report.actionStatus.${a.status}`),
      progress: a.progress,
      weight: Number(a.weight),
      subAreas: a.subAreas.map((s) => sv(`report.subArea.${s}`)).join('; '),
    };
    return row;
  });
}

async function authorizePlan(ex: Executor, actor: Actor, tree: OrgTree, programId: string, action: 'program.read' | 'program.manage') {
  const program = await repo.findProgram(ex, programId);
  if (!program) throw new AppError('PROGRAM_NOT_FOUND');
  if (!can(actor, action, program.ownerOrganisationId, tree)) throw new AppError('FORBIDDEN');
  return program;
}

export const planExport = defineExportKind<{ programId: string }>(PLAN_EXPORT, {
  params: z.object({ programId: z.uuid() }),
  formats: ['xlsx', 'csv'],
  authorize: (ex, actor, tree, p) => authorizePlan(ex, actor, tree, p.programId, 'program.read').then(() => undefined),
  async build(ctx, format) {
    const program = (await repo.findProgram(ctx.db, ctx.params.programId))!;
    const rows = planRows(await loadPlan(ctx.db, program.id));
    await ctx.progress(0.5);
    const base = program.title.replace(/[\\/:*?"<>|]/g, '').replace(/\s+/g, ' ').slice(0, 120);
    if (format === 'csv') return { filename: `${base}.csv`, body: toCsv(COLUMNS.map(header), rows.map((r) => COLUMNS.map((c) => r[c]))) };
    const sheet = { name: t('sv', 'report.plan.sheet'), columns: COLUMNS.map((c) => ({ header: header(c), key: c, width: ['title', 'description', 'id', 'parent'].includes(c) ? 40 : 18 })), rows };
    return { filename: `${base}.xlsx`, body: await renderXlsx([sheet], { title: program.title }) };
  },
});

// --- Import ---

export interface ImportRow {
  row: number;
  id: string | null;
  title: string;
  operation: 'create' | 'update' | 'unchanged';
  errors: { column: string; message: string }[];
}

type Parsed = {
  id: string | null;
  goalId: string;
  parentActionId: string | null;
  title: string;
  description: string | null;
  responsibleOrganisationId: string;
  contributorIds: string[];
  contactPerson: string | null;
  startDate: string | null;
  endDate: string | null;
  status: string;
  progress: number;
  weight: number;
  subAreas: string[];
};


/** Reads and checks every row against the plan; nothing is written. */
export async function validateImport(ex: Executor, programId: string, buf: Buffer, locale: Locale) {
  const L = (key: string, vars?: Record<string, string | number>) => t(locale, `import.${key}`, vars);
  const file = await readTableFile(buf);
  const fileErrors: string[] = [];
  for (const c of REQUIRED) if (!file.headers.includes(header(c))) fileErrors.push(L('missingColumn', { column: header(c) }));
  if (file.rows.length === 0) fileErrors.push(L('empty'));
  if (file.rows.length > MAX_IMPORT_ROWS) fileErrors.push(L('rowLimit', { max: MAX_IMPORT_ROWS }));
  if (fileErrors.length) return { fileErrors, rows: [] as ImportRow[], parsed: [] as Parsed[] };

  const plan = await loadPlan(ex, programId);
  const existing = new Map(plan.actions.map((a) => [a.id, a]));
  const norm = (s: string) => s.trim().toLocaleLowerCase('sv');
  const orgByName = new Map<string, (typeof plan.orgs)[number]>();
  for (const o of plan.orgs) for (const n of [o.key, o.shortName, o.name]) if (n) orgByName.set(norm(n), o);
  const labelMap = (values: readonly string[], prefix: string) => {
    const m = new Map<string, string>();
    for (const v of values) for (const l of ['sv', 'en'] as const) m.set(norm(t(l, `${prefix}.${v}`)), v);
    for (const v of values) m.set(norm(v), v);
    return m;
  };
  const statuses = labelMap(ACTION_STATUSES, 'report.actionStatus');
  const subAreas = labelMap(SUB_AREAS, 'report.subArea');
  const seenIds = new Set<string>();

  const rows: ImportRow[] = [];
  const parsed: Parsed[] = [];
  for (const [i, raw] of file.rows.entries()) {
    const get = (c: Column) => (raw[header(c)] ?? '').trim();
    const errors: ImportRow['errors'] = [];
    const err = (c: Column, message: string) => errors.push({ column: header(c), message });
    for (const c of REQUIRED) if (!get(c)) err(c, L('required'));
    const text = (c: Column, max: number) => {
      const v = get(c);
      if (v.length > max) err(c, L('tooLong', { max }));
      return v || null;
    };

    const id = get('id') || null;
    if (id) {
      if (!existing.has(id)) err('id', L('idMissing'));
      else if (seenIds.has(id)) err('id', L('idDuplicate'));
      seenIds.add(id);
    }
    const goalId = plan.goals.get(`${Number(get('focusArea'))}.${Number(get('goal'))}`);
    if (get('focusArea') && get('goal') && !goalId) err('goal', L('goalMissing', { area: get('focusArea'), goal: get('goal') }));
    const parent = get('parent') || null;
    if (parent && !existing.has(parent)) err('parent', L('parentMissing'));
    if (parent && parent === id) err('parent', L('parentSelf'));
    // One level of sub-actions, as in the UI: the parent is a top-level action and this one has no sub-actions.
    else if (parent && existing.get(parent)?.parentActionId) err('parent', L('parentDepth'));
    else if (parent && id && plan.actions.some((a) => a.parentActionId === id)) err('parent', L('parentDepth'));
    const org = (name: string, c: Column) => {
      const o = orgByName.get(norm(name));
      if (!o || !o.active) err(c, L('organisationMissing', { name }));
      return o?.id ?? '';
    };
    const responsible = get('responsible') ? org(get('responsible'), 'responsible') : '';
    const contributors = get('contributors')
      .split(/[;\n]/)
      .map((s) => s.trim())
      .filter(Boolean)
      .map((n) => org(n, 'contributors'));
    const date = (c: Column) => {
      const v = get(c);
      if (!v) return null;
      if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(v)) || new Date(v).toISOString().slice(0, 10) !== v) {
        err(c, L('date'));
        return null;
      }
      return v;
    };
    const startDate = date('start');
    const endDate = date('end');
    if (startDate && endDate && endDate < startDate) err('end', L('endBeforeStart'));
    const status = get('status') ? statuses.get(norm(get('status'))) : 'not_started';
    if (!status) err('status', L('status', { value: get('status'), allowed: ACTION_STATUSES.map((s) => t(locale, `report.actionStatus.${s}`)).join(', ') }));
    const progressText = get('progress').replace(/\s*%$/, '');
    const progress = progressText === '' ? 0 : Number(progressText);
    if (!Number.isInteger(progress) || progress < 0 || progress > 100) err('progress', L('progress'));
    const weightText = get('weight').replace(',', '.');
    const weight = weightText === '' ? 1 : Number(weightText);
    if (!Number.isFinite(weight) || weight <= 0 || weight > 1000) err('weight', L('weight'));
    const areas = get('subAreas')
      .split(/[;\n]/)
      .map((s) => s.trim())
      .filter(Boolean)
      .map((label) => {
        const v = subAreas.get(norm(label));
        if (!v) err('subAreas', L('subArea', { value: label }));
        return v ?? '';
      });

    const p: Parsed = {
      id,
      goalId: goalId ?? '',
      parentActionId: parent,
      title: text('title', 300) ?? '',
      description: text('description', 5000),
      responsibleOrganisationId: responsible,
      contributorIds: [...new Set(contributors)].sort(),
      contactPerson: text('contact', 200),
      startDate,
      endDate,
      status: status ?? 'not_started',
      progress,
      weight,
      subAreas: [...new Set(areas)],
    };
    let operation: ImportRow['operation'] = id ? 'update' : 'create';
    const before = id ? existing.get(id) : undefined;
    if (before && errors.length === 0 && sameAction(before, p)) operation = 'unchanged';
    rows.push({ row: i + 2, id, title: p.title, operation, errors });
    parsed.push(p);
  }
  return { fileErrors, rows, parsed };
}

function sameAction(a: ActionListRow, p: Parsed) {
  return (
    a.goalId === p.goalId &&
    (a.parentActionId ?? null) === p.parentActionId &&
    a.title === p.title &&
    (a.description ?? null) === p.description &&
    a.responsibleOrganisationId === p.responsibleOrganisationId &&
    JSON.stringify([...a.contributorIds].sort()) === JSON.stringify(p.contributorIds) &&
    (a.contactPerson ?? null) === p.contactPerson &&
    (a.startDate ?? null) === p.startDate &&
    (a.endDate ?? null) === p.endDate &&
    a.status === p.status &&
    a.progress === p.progress &&
    Number(a.weight) === p.weight &&
    JSON.stringify([...a.subAreas].sort()) === JSON.stringify([...p.subAreas].sort())
  );
}

export function createPlanImporter({ db }: { db: Db }) {
  return {
    /**
     * Dry run: the row-by-row report. Otherwise: all rows or none — any invalid row refuses the whole
     * file (400 IMPORT_INVALID, with each problem as a field), and nothing is written.
     */
    async importPlan(ctx: RequestContext, actor: Actor, programId: string, buf: Buffer, opts: { dryRun: boolean; locale: Locale }) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        await authorizePlan(tx, actor, tree, programId, 'program.manage');
        const { fileErrors, rows, parsed } = await validateImport(tx, programId, buf, opts.locale);
        const counts = { create: 0, update: 0, unchanged: 0, invalid: 0 };
        for (const r of rows) {
          if (r.errors.length) counts.invalid++;
          else counts[r.operation]++;
        }
        const valid = fileErrors.length === 0 && counts.invalid === 0;
        if (!opts.dryRun && !valid) {
          throw importInvalid(fileErrors, rows);
        }
        if (!opts.dryRun) {
          const createdIds: string[] = [];
          for (const [i, p] of parsed.entries()) {
            const { id, contributorIds, weight, ...fields } = p;
            if (rows[i].operation === 'unchanged') continue;
            if (!id) {
              const row = await repo.insertAction(tx, { ...fields, weight: String(weight) });
              await repo.setContributors(tx, row.id, contributorIds);
              await recordAudit(tx, ctx, { entityType: 'plan_action', entityId: row.id, action: 'import', after: { ...row, contributorIds } });
              createdIds.push(row.id);
            } else {
              const before = (await repo.findAction(tx, id))!;
              const beforeContributors = await repo.contributorsOf(tx, id);
              const row = await repo.updateVersioned(tx, planActions, id, before.version, { ...fields, weight: String(weight) });
              await repo.setContributors(tx, id, contributorIds);
              await recordAudit(tx, ctx, { entityType: 'plan_action', entityId: id, action: 'import', before: { ...before, contributorIds: beforeContributors }, after: { ...row, contributorIds } });
            }
          }
        }
        return { valid, applied: !opts.dryRun, counts, fileErrors, rows };
      });
    },
  };
}
export type PlanImporter = ReturnType<typeof createPlanImporter>;

/** The refusal of a file import with problems: the file's own, then each row's by row and column (at most 200). */
export function importInvalid(fileErrors: string[], rows: { row: number; errors: { column: string; message: string }[] }[]) {
  const fields = [
    ...fileErrors.map((m) => ({ path: 'file', message: m })),
    ...rows.flatMap((r) => r.errors.map((e) => ({ path: `rad ${r.row}: ${e.column}`, message: e.message }))),
  ];
  return new AppError('IMPORT_INVALID', fields.slice(0, 200));
}
