import type { Db } from '../../db/client.ts';
import { recordAudit, type RequestContext } from '../../lib/audit.ts';
import { loadOrgTree } from '../../lib/context.ts';
import { AppError } from '../../lib/errors.ts';
import { readTableFile } from '../../lib/documents/tablefile.ts';
import { t, type Locale } from '../../lib/i18n.ts';
import type { Actor } from '../../lib/policies.ts';
import { indicatorValues } from '../../db/schema/index.ts';
import type { IndicatorImportResult } from '../../../shared/schemas/program.ts';
import { importInvalid } from './program.import.ts';
import { indicatorsRepo } from './program.indicators.repo.ts';
import { programsRepo } from './program.programs.repo.ts';
import { programOrThrow, requireOn } from './program.shared.ts';
import { indicatorDef } from './program.indicators.ts';
import { scaleOf, withinScale } from './indicators.ts';

/**
 * Key figures from a file in the shape of Kolada's export (the national municipal key-figure database): one
 * row per municipality code, KPI id, year and value. Each KPI id maps to the goal whose indicator carries it
 * (goals.kpi_id). Like the plan import: a dry run reports row by row; otherwise all rows or none.
 */
export const MAX_INDICATOR_ROWS = 5000;
/** Years outside this range are refused: key figures start in the 1990s, and a future year is a typing error. */
export const FIRST_YEAR = 1990;

const COLUMNS = {
  municipality: ['kommunkod', 'kommun-id', 'kommunid', 'kommun id', 'municipality', 'municipality_id', 'municipality id', 'municipality code'],
  kpi: ['kpi', 'kpi-id', 'kpi_id', 'kpi id', 'nyckeltal', 'nyckeltals-id', 'id'],
  year: ['år', 'period', 'year'],
  value: ['värde', 'value'],
} as const;
type Col = keyof typeof COLUMNS;
const LABEL: Record<Col, string> = { municipality: 'Kommunkod', kpi: 'KPI', year: 'År', value: 'Värde' };


export function createIndicatorImporter({ db, municipalityCodes, thisYear }: { db: Db; municipalityCodes: string[]; thisYear: () => number }) {
  return {
    async importIndicators(ctx: RequestContext, actor: Actor, programId: string, buf: Buffer, opts: { dryRun: boolean; locale: Locale }): Promise<IndicatorImportResult> {
      const L = (key: string, vars?: Record<string, string | number>) => t(opts.locale, `indicatorImport.${key}`, vars);
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const program = await programOrThrow(tx, programId);
        requireOn(actor, 'program.manage', program.ownerOrganisationId, tree);
        const file = await readTableFile(buf);
        const norm = (s: string) => s.trim().toLocaleLowerCase('sv');
        const headerOf = {} as Record<Col, string | undefined>;
        for (const c of Object.keys(COLUMNS) as Col[]) headerOf[c] = file.headers.find((h) => (COLUMNS[c] as readonly string[]).includes(norm(h)));
        const fileErrors: string[] = [];
        for (const c of Object.keys(COLUMNS) as Col[]) if (!headerOf[c]) fileErrors.push(L('missingColumn', { column: LABEL[c] }));
        if (file.rows.length === 0) fileErrors.push(L('empty'));
        if (file.rows.length > MAX_INDICATOR_ROWS) fileErrors.push(L('rowLimit', { max: MAX_INDICATOR_ROWS }));
        const rows: IndicatorImportResult['rows'] = [];
        const parsed: { goalId: string; year: number; value: number; kpiId: string; municipalityCode: string }[] = [];
        if (fileErrors.length === 0) {
          const goals = await programsRepo.listGoals(tx, programId);
          const byKpi = new Map(goals.filter((g) => g.kpiId && g.indicator).map((g) => [g.kpiId!.toUpperCase(), g]));
          const lastYear = thisYear();
          const seen = new Set<string>();
          for (const [i, raw] of file.rows.entries()) {
            const get = (c: Col) => String(raw[headerOf[c]!] ?? '').trim();
            const errors: { column: string; message: string }[] = [];
            const err = (c: Col, message: string) => errors.push({ column: LABEL[c], message });
            const code = get('municipality');
            const kpi = get('kpi');
            const yearText = get('year');
            const valueText = get('value');
            if (!code) err('municipality', L('required'));
            else if (!municipalityCodes.includes(code.padStart(4, '0'))) err('municipality', L('municipality', { code, allowed: municipalityCodes.join(', ') }));
            const goal = kpi ? byKpi.get(kpi.toUpperCase()) : undefined;
            if (!kpi) err('kpi', L('required'));
            else if (!goal) err('kpi', L('kpi', { kpi }));
            const year = Number(yearText);
            if (!/^\d{4}$/.test(yearText) || year < FIRST_YEAR || year > lastYear) err('year', L('year', { first: FIRST_YEAR, last: lastYear }));
            const value = Number(valueText.replace(/\s/g, '').replace(',', '.'));
            if (valueText === '' || !Number.isFinite(value)) err('value', L('value'));
            else if (goal && !withinScale(indicatorDef(goal), value)) {
              const s = scaleOf(indicatorDef(goal));
              err('value', L('scale', { min: s.min ?? '–', max: s.max ?? '–' }));
            }
            const key = `${goal?.id}|${year}`;
            if (goal && errors.length === 0 && seen.has(key)) err('year', L('duplicate'));
            seen.add(key);
            rows.push({ row: i + 2, municipalityCode: code, kpiId: kpi, year: yearText, value: valueText, goalId: goal?.id ?? null, errors });
            if (goal) parsed.push({ goalId: goal.id, year, value, kpiId: kpi, municipalityCode: code.padStart(4, '0') });
          }
        }
        const invalid = rows.filter((r) => r.errors.length).length;
        const valid = fileErrors.length === 0 && invalid === 0;
        if (!opts.dryRun && !valid) {
          throw importInvalid(fileErrors, rows);
        }
        if (!opts.dryRun) {
          for (const p of parsed) {
            const measuredOn = `${p.year}-12-31`;
            const before = await indicatorsRepo.findSame(tx, p.goalId, measuredOn, 'import');
            const values = { period: String(p.year), value: String(p.value), kpiId: p.kpiId, municipalityCode: p.municipalityCode, enteredBy: actor.id };
            const row = before
              ? await indicatorsRepo.updateVersioned(tx, indicatorValues, before.id, before.version, values)
              : await indicatorsRepo.insertValue(tx, { goalId: p.goalId, measuredOn, source: 'import', ...values });
            await recordAudit(tx, ctx, { entityType: 'indicator_value', entityId: row!.id, action: 'import', ...(before ? { before } : {}), after: row });
          }
        }
        return { valid, applied: !opts.dryRun, counts: { import: valid ? parsed.length : rows.length - invalid, invalid }, fileErrors, rows };
      });
    },
  };
}
export type IndicatorImporter = ReturnType<typeof createIndicatorImporter>;
