import { asc, sql } from 'drizzle-orm';
import type { Db, Executor } from '../../db/client.ts';
import { crimeStatistics } from '../../db/schema/index.ts';
import { recordAudit, type RequestContext } from '../../lib/audit.ts';
import type { Block } from '../../lib/documents/model.ts';
import { AppError } from '../../lib/errors.ts';
import { readTableFile } from '../../lib/documents/tablefile.ts';
import type { Locale } from '../../lib/i18n.ts';
import type { Actor } from '../../lib/policies.ts';
import type { CrimeStatImportResultT } from '../../../shared/schemas/lagesbild.ts';
import { lt } from './lagesbild.messages.ts';

/**
 * Imported crime statistics for part 1 of the lägesbild (Lag 2023:196 4 § 1, the mapping of crime): reported
 * crimes per category and year from the national crime-statistics files (Brå's "anmälda brott" for the
 * municipality), and a safety survey's figures per question and year (NTU or a local trygghetsmätning).
 * Public data: not secret-capable, the same for every reader, in both versions of an adopted report.
 *
 * The file: one row per municipality, category (or question), year and value, CSV or XLSX. The column names
 * vary with the export, so they are configuration (CRIME_STATS_COLUMNS); the municipality column holds the
 * code (SCB kommunkod, "1281" or "1281 Lund"), which must be one of MUNICIPALITY_CODES. All rows or none: a
 * row with an unknown municipality code or a year out of range refuses the whole file (400 IMPORT_INVALID with
 * each row's problem in Swedish), and nothing changes.
 */
export const MAX_CRIME_STAT_ROWS = 5000;
/** Brå's series of reported crimes per municipality start in the 1970s; a year after this one is a typing error. */
export const FIRST_CRIME_STAT_YEAR = 1975;

const DEFAULT_COLUMNS = {
  municipality: ['kommunkod', 'kommun', 'kommun-id', 'kommunid', 'region', 'område', 'municipality', 'municipality code', 'municipality_id'],
  category: ['brottstyp', 'brottskategori', 'kategori', 'brott', 'fråga', 'indikator', 'category', 'question', 'crime type'],
  year: ['år', 'period', 'year'],
  value: ['antal', 'antal anmälda brott', 'värde', 'andel', 'andel (%)', 'value', 'count', 'share'],
  per100k: ['per 100 000 invånare', 'per 100 000 inv', 'antal per 100 000 invånare', 'per100k', 'per 100 000'],
  source: ['källa', 'source'],
} as const;
type Col = keyof typeof DEFAULT_COLUMNS;
const REQUIRED: Col[] = ['municipality', 'category', 'year', 'value'];

/** The accepted column names: the defaults, each list replaced by the configured one where given. */
export function crimeStatColumns(configured: string): Record<Col, string[]> {
  const over = JSON.parse(configured || '{}') as Partial<Record<Col, string[]>>;
  const out = {} as Record<Col, string[]>;
  for (const c of Object.keys(DEFAULT_COLUMNS) as Col[]) out[c] = (over[c] ?? [...DEFAULT_COLUMNS[c]]).map((n) => n.trim().toLocaleLowerCase('sv'));
  return out;
}


const number = (text: string) => Number(text.replace(/[\s\u00a0]/g, '').replace(',', '.'));

export type CrimeStatKind = 'reported' | 'survey';


export function createCrimeStatistics({ db, municipalityCodes, columns, thisYear }: { db: Db; municipalityCodes: string[]; columns: string; thisYear: () => number }) {
  const names = crimeStatColumns(columns);
  return {
    async list(kind?: CrimeStatKind) {
      const rows = await db
        .select()
        .from(crimeStatistics)
        .where(kind ? sql`${crimeStatistics.kind} = ${kind}` : undefined)
        .orderBy(asc(crimeStatistics.kind), asc(crimeStatistics.category), asc(crimeStatistics.year));
      return {
        items: rows.map((r) => ({
          id: r.id,
          kind: r.kind as CrimeStatKind,
          municipalityCode: r.municipalityCode,
          category: r.category,
          year: r.year,
          value: Number(r.value),
          per100k: r.per100k === null ? null : Number(r.per100k),
          source: r.source,
          importedAt: r.importedAt.toISOString(),
        })),
      };
    },

    /** A dry run reports row by row; otherwise all rows or none (400 IMPORT_INVALID, nothing saved). */
    async importFile(ctx: RequestContext, actor: Actor, kind: CrimeStatKind, buf: Buffer, opts: { dryRun: boolean; source?: string; locale: Locale }): Promise<CrimeStatImportResultT> {
      const M = (key: string, vars?: Record<string, string | number>) => lt(opts.locale, `crimeStatsImport.${key}`, vars);
      const LABEL = (c: Col) => M(`col.${c}`);
      const file = await readTableFile(buf);
      const norm = (s: string) => s.trim().toLocaleLowerCase('sv');
      const headerOf = {} as Record<Col, string | undefined>;
      for (const c of Object.keys(names) as Col[]) headerOf[c] = file.headers.find((h) => names[c].includes(norm(h)));
      const fileErrors: string[] = [];
      for (const c of REQUIRED) if (!headerOf[c]) fileErrors.push(M('missingColumn', { column: `${LABEL(c)} (${names[c].slice(0, 4).join(', ')} …)` }));
      if (file.rows.length === 0) fileErrors.push(M('empty'));
      if (file.rows.length > MAX_CRIME_STAT_ROWS) fileErrors.push(M('rowLimit', { max: MAX_CRIME_STAT_ROWS }));
      const rows: CrimeStatImportResultT['rows'] = [];
      const parsed: { municipalityCode: string; category: string; year: number; value: number; per100k: number | null; source: string }[] = [];
      const defaultSource = opts.source?.trim() || (kind === 'reported' ? 'Brå, anmälda brott' : 'Trygghetsmätning');
      if (fileErrors.length === 0) {
        const lastYear = thisYear();
        const seen = new Set<string>();
        for (const [i, raw] of file.rows.entries()) {
          const get = (c: Col) => (headerOf[c] ? String(raw[headerOf[c]!] ?? '').trim() : '');
          const errors: { column: string; message: string }[] = [];
          const err = (c: Col, message: string) => errors.push({ column: LABEL(c), message });
          const codeText = get('municipality');
          const category = get('category');
          const yearText = get('year');
          const valueText = get('value');
          const per100kText = get('per100k');
          // "1281", "1281 Lund" or "Lund (1281)": the four digits are the code.
          const code = codeText.match(/\b(\d{4})\b/)?.[1] ?? (/^\d{3}$/.test(codeText) ? codeText.padStart(4, '0') : null);
          if (!codeText) err('municipality', M('required'));
          else if (!code || !municipalityCodes.includes(code)) err('municipality', M('municipality', { code: codeText, allowed: municipalityCodes.join(', ') }));
          if (!category) err('category', M('required'));
          const year = Number(yearText);
          if (!/^\d{4}$/.test(yearText) || year < FIRST_CRIME_STAT_YEAR || year > lastYear) err('year', M('year', { first: FIRST_CRIME_STAT_YEAR, last: lastYear }));
          const value = number(valueText);
          if (valueText === '' || !Number.isFinite(value)) err('value', M('value'));
          else if (kind === 'reported' && (!Number.isInteger(value) || value < 0)) err('value', M('count'));
          else if (kind === 'survey' && (value < 0 || value > 100)) err('value', M('share'));
          const per100k = per100kText === '' ? null : number(per100kText);
          if (per100k !== null && (!Number.isFinite(per100k) || per100k < 0)) err('per100k', M('per100k'));
          const key = `${code}|${category.toLocaleLowerCase('sv')}|${year}`;
          if (errors.length === 0 && seen.has(key)) err('year', M('duplicate'));
          seen.add(key);
          rows.push({ row: i + 2, municipalityCode: codeText, category, year: yearText, value: valueText, errors });
          if (errors.length === 0) parsed.push({ municipalityCode: code!, category, year, value, per100k, source: get('source') || defaultSource });
        }
      }
      const invalid = rows.filter((r) => r.errors.length).length;
      const valid = fileErrors.length === 0 && invalid === 0;
      if (!opts.dryRun && !valid) {
        const fields = [...fileErrors.map((m) => ({ path: 'file', message: m })), ...rows.flatMap((r) => r.errors.map((e) => ({ path: `rad ${r.row}: ${e.column}`, message: e.message })))];
        throw new AppError('IMPORT_INVALID', fields.slice(0, 200));
      }
      if (!opts.dryRun) {
        await db.transaction(async (tx) => {
          for (const p of parsed) {
            const [row] = await tx
              .insert(crimeStatistics)
              .values({ kind, ...p, value: String(p.value), per100k: p.per100k === null ? null : String(p.per100k), importedBy: actor.id })
              .onConflictDoUpdate({
                target: [crimeStatistics.kind, crimeStatistics.municipalityCode, crimeStatistics.category, crimeStatistics.year],
                set: { value: String(p.value), per100k: p.per100k === null ? null : String(p.per100k), source: p.source, importedBy: actor.id, importedAt: new Date() },
              })
              .returning();
            await recordAudit(tx, ctx, { entityType: 'crime_statistic', entityId: row.id, action: 'import', after: row });
          }
        });
      }
      return { valid, applied: !opts.dryRun, counts: { import: valid ? parsed.length : rows.length - invalid, invalid }, fileErrors, rows };
    },
  };
}

/** Part 1's imported statistics: the latest years (at most five) up to the report's last year, per category. */
export interface CrimeStatsData {
  years: number[];
  reported: { category: string; values: (number | null)[] }[];
  survey: { category: string; values: (number | null)[] }[];
  sources: string[];
}

export async function crimeStatsData(ex: Executor, upToYear: number): Promise<CrimeStatsData | null> {
  const r = await ex.execute<{ kind: CrimeStatKind; category: string; year: number; value: string; source: string }>(sql`
    select kind, category, year, sum(value)::text as value, min(source) as source
    from crime_statistics where year <= ${upToYear} and year > ${upToYear - 5}
    group by kind, category, year order by kind, category, year`);
  if (!r.rows.length) return null;
  const years = [...new Set(r.rows.map((x) => Number(x.year)))].sort((a, b) => a - b);
  const table = (kind: CrimeStatKind) => {
    const by = new Map<string, (number | null)[]>();
    for (const x of r.rows.filter((y) => y.kind === kind)) {
      const values = by.get(x.category) ?? years.map(() => null);
      values[years.indexOf(Number(x.year))] = Number(x.value);
      by.set(x.category, values);
    }
    const last = (v: (number | null)[]) => [...v].reverse().find((n) => n !== null) ?? 0;
    return [...by.entries()].map(([category, values]) => ({ category, values })).sort((a, b) => last(b.values) - last(a.values) || a.category.localeCompare(b.category, 'sv'));
  };
  return { years, reported: table('reported'), survey: table('survey'), sources: [...new Set(r.rows.map((x) => x.source))].sort() };
}

/** The tables of imported statistics, over years, as the documents and the page show them. */
export function crimeStatsBlocks(d: CrimeStatsData | null | undefined, locale: Locale): Block[] {
  if (!d) return [];
  const L = (k: string, v?: Record<string, string | number>) => lt(locale, k, v);
  const fmt = new Intl.NumberFormat(locale === 'sv' ? 'sv-SE' : 'en-GB', { maximumFractionDigits: 1 });
  const cell = (v: number | null) => (v === null ? '–' : fmt.format(v));
  const blocks: Block[] = [];
  const yearCols = d.years.map((y) => ({ header: String(y), width: 1 }));
  if (d.reported.length)
    blocks.push({ type: 'table', caption: L('crimeReported'), columns: [{ header: L('crimeCategory'), width: 3 }, ...yearCols], rows: d.reported.map((r) => [r.category, ...r.values.map(cell)]) });
  if (d.survey.length)
    blocks.push({ type: 'table', caption: L('crimeSurvey'), columns: [{ header: L('surveyQuestion'), width: 3 }, ...yearCols], rows: d.survey.map((r) => [r.category, ...r.values.map(cell)]) });
  if (blocks.length) blocks.push({ type: 'paragraph', text: L('crimeNote', { sources: d.sources.join(', ') }), muted: true });
  return blocks;
}

