import { useCallback, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { Map as LeafletMap } from 'leaflet';
import { INCIDENT_STATUSES } from '../../../../shared/schemas/incidents.ts';
import { STATISTICS_EXPORT } from '../../../../shared/schemas/lagesbild.ts';
import { holds, holdsAtRoot } from '../../auth/api.ts';
import { incidentsApi, lagesbildMapApi, type AreaT, type MapFilter, type PoliceImportT, type StatsT } from '../api.ts';
import { ConfirmDialog } from '../../../components/Dialogs.tsx';
import { ExportPanel } from '../../../components/ExportPanel.tsx';
import { Empty, ErrorMessage, Notice, QueryState } from '../../../components/Feedback.tsx';
import { SelectField, TextField } from '../../../components/Field.tsx';
import { OrganisationSelect } from '../../../components/OrganisationSelect.tsx';
import { EnumSelect } from '../../../components/EnumSelect.tsx';
import { IncidentMap, type MapSummary } from '../components/IncidentMap.tsx';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { todayInStockholm } from '../../../format.ts';
import i18n from '../../../i18n/index.ts';
import { useMe } from '../../../session.ts';
import { Forbidden } from '../../shell/pages/NotFound.tsx';
import { ShareMapExtractButton } from '../../shares/components/MapExtract.tsx';
import { stockholmToIso } from './IncidentReport.tsx';
import { useCategoryName } from '../../../i18n/categories.ts';
import { DATE, type LagesbildSearch } from '../lagesbild-search.ts';

// --- Period helpers (calendar dates in Stockholm, as YYYY-MM-DD) ---

const pad = (n: number) => String(n).padStart(2, '0');
const ymd = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
const parse = (s: string) => new Date(`${s}T00:00:00Z`);
/** The first day of the month eleven months ago: twelve calendar months up to today. */
const defaultFrom = (today: string) => {
  const d = parse(today);
  return ymd(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 11, 1)));
};
const nextDay = (s: string) => ymd(new Date(parse(s).getTime() + 86_400_000));
const monthEnd = (m: string) => ymd(new Date(Date.UTC(+m.slice(0, 4), +m.slice(5, 7), 0)));
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let y = +from.slice(0, 4);
  let m = +from.slice(5, 7);
  const end = to.slice(0, 7);
  while (out.length < 240) {
    const key = `${y}-${pad(m)}`;
    if (key > end) break;
    out.push(key);
    if (++m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}
const monthLabel = (m: string, style: 'short' | 'long' = 'short') =>
  new Intl.DateTimeFormat(i18n.language === 'en' ? 'en-GB' : 'sv-SE', { month: style, year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(+m.slice(0, 4), +m.slice(5, 7) - 1, 15)));

/** The change against last year as text (never colour alone). */
export function trendText(t: TFunction, count: number, previous: number) {
  const diff = count - previous;
  if (diff === 0) return t('lagesbildMap.trendSame');
  const n = `${diff > 0 ? '+' : '−'}${Math.abs(diff)}`;
  if (previous === 0) return t('lagesbildMap.trendNew', { n });
  const pct = Math.round((Math.abs(diff) / previous) * 100);
  return t(diff > 0 ? 'lagesbildMap.trendUp' : 'lagesbildMap.trendDown', { n, pct: `${diff > 0 ? '+' : '−'}${pct}` });
}

export function LagesbildPage() {
  const { t } = useTranslation();
  const me = useMe();
  const allowed = holds(me, 'incidents.read') || holds(me, 'incidents.manage');
  const search = useSearch({ from: '/app/lagesbild' });
  const navigate = useNavigate({ from: '/lagesbild' });
  const qc = useQueryClient();
  const cats = useQuery({ queryKey: ['incident-categories'], queryFn: () => incidentsApi.categories(), enabled: allowed });
  const areas = useQuery({ queryKey: ['incident-areas'], queryFn: () => lagesbildMapApi.areas(), enabled: allowed });
  const mapRef = useRef<LeafletMap | null>(null);
  const [summary, setSummary] = useState<MapSummary | null>(null);
  const [draft, setDraft] = useState<[number, number][] | null>(null);

  const today = todayInStockholm();
  const from = search.from ?? defaultFrom(today);
  const to = search.to ?? today;
  const periodError = from > to ? t('lagesbildMap.periodError') : null;
  const months = periodError ? [] : monthsBetween(from, to);
  const month = search.month && months.includes(search.month) ? search.month : undefined;
  const shownFrom = month && `${month}-01` > from ? `${month}-01` : from;
  const shownTo = month && monthEnd(month) < to ? monthEnd(month) : to;
  const filter: MapFilter = useMemo(
    () => ({
      categoryId: search.categoryId,
      organisationId: search.organisationId,
      areaId: search.areaId,
      status: search.status,
      from: stockholmToIso(`${shownFrom}T00:00`),
      to: stockholmToIso(`${nextDay(shownTo)}T00:00`),
    }),
    [search.categoryId, search.organisationId, search.areaId, search.status, shownFrom, shownTo],
  );
  // The statistics export follows the same selection as the statistics beside the map (not the map's view).
  const exportParams = useMemo(() => Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined)) as Record<string, string>, [filter]);
  const showIncidents = search.source === undefined || search.source === 'incidents';
  const showPolice = search.source === undefined || search.source === 'police';
  const stats = useQuery({
    queryKey: ['incident-statistics', filter],
    queryFn: () => lagesbildMapApi.stats({ ...filter, from: filter.from!, to: filter.to! }),
    enabled: allowed && !periodError,
  });

  const catName = useCategoryName();
  const catByKey = useMemo(() => new Map((cats.data?.items ?? []).map((c) => [c.key, catName(c.key, c.name)])), [cats.data, catName]);
  const categoryName = useCallback((key: string, categoryId: string | null) => {
    const cat = categoryId ? cats.data?.items.find((c) => c.id === categoryId) : undefined;
    const byId = cat ? catName(cat.key, cat.name) : undefined;
    return catByKey.get(key) ?? byId ?? key;
  }, [catByKey, cats.data, catName]);

  if (!allowed) return <Forbidden />;

  const set = (patch: Partial<LagesbildSearch>) => void navigate({ search: (prev: LagesbildSearch) => ({ ...prev, ...patch }), replace: true });
  const value = (k: 'categoryId' | 'organisationId' | 'areaId' | 'status') => (e: { target: { value: string } }) => set({ [k]: e.target.value || undefined });
  const layer = (which: 'incidents' | 'police', on: boolean) => {
    const inc = which === 'incidents' ? on : showIncidents;
    const pol = which === 'police' ? on : showPolice;
    set({ source: inc && pol ? undefined : inc ? 'incidents' : pol ? 'police' : 'none' });
  };
  const configure = holdsAtRoot(me, 'incidents.configure');
  const importPolice = holdsAtRoot(me, 'incidents.manage');
  const areaItems = (areas.data?.items ?? []).filter((a) => a.active);

  return (
    <div className="lagesbild">
      <PageTitle title={t('lagesbildMap.title')}>{t('lagesbildMap.title')}</PageTitle>
      <p className="lead">{t('lagesbildMap.intro')}</p>
      <p className="print-only">{t('lagesbildMap.printedPeriod', { from: shownFrom, to: shownTo })}</p>

      <form className="card filters no-print" aria-label={t('lagesbildMap.filters')} onSubmit={(e) => e.preventDefault()}>
        <SelectField label={t('incidents.category')} value={search.categoryId ?? ''} onChange={value('categoryId')}>
          <option value="">{t('incidents.allCategories')}</option>
          {(cats.data?.items ?? []).map((c) => (
            <option key={c.id} value={c.id}>
              {catName(c.key, c.name)}
            </option>
          ))}
        </SelectField>
        <EnumSelect label={t('incidents.status')} value={search.status ?? ''} onChange={value('status')} values={INCIDENT_STATUSES} labelPrefix="incidentStatus" emptyLabel={t('incidents.allStatuses')} />
        <OrganisationSelect label={t('incidents.organisation')} value={search.organisationId ?? ''} onChange={value('organisationId')} emptyLabel={t('incidents.allOrganisations')} />
        <SelectField label={t('lagesbildMap.area')} value={search.areaId ?? ''} onChange={value('areaId')}>
          <option value="">{t('lagesbildMap.allAreas')}</option>
          {areaItems.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </SelectField>
        <TextField label={t('incidents.from')} type="date" value={from} max={to} onChange={(e) => set({ from: DATE.test(e.target.value) ? e.target.value : undefined, month: undefined })} />
        <TextField
          label={t('incidents.to')}
          type="date"
          value={to}
          min={from}
          error={periodError ?? undefined}
          onChange={(e) => set({ to: DATE.test(e.target.value) ? e.target.value : undefined, month: undefined })}
        />
        <fieldset className="layer-toggles">
          <legend>{t('lagesbildMap.layers')}</legend>
          <label className="check">
            <input type="checkbox" checked={showIncidents} onChange={(e) => layer('incidents', e.target.checked)} /> {t('lagesbildMap.layerIncidents')}
          </label>
          <label className="check">
            <input type="checkbox" checked={showPolice} onChange={(e) => layer('police', e.target.checked)} /> {t('lagesbildMap.layerPolice')}
          </label>
          <label className="check">
            <input type="checkbox" checked={!!search.heat} onChange={(e) => set({ heat: e.target.checked || undefined })} /> {t('lagesbildMap.layerHeat')}
          </label>
        </fieldset>
        <MonthSlider months={months} month={month} onChange={(m) => set({ month: m })} />
        <div className="filters-buttons">
          <button type="button" className="btn" onClick={() => void navigate({ search: {}, replace: true })}>
            {t('common.clearFilter')}
          </button>
        </div>
      </form>
      {showPolice && (search.organisationId || search.areaId || search.status) && <p className="small muted no-print">{t('lagesbildMap.policeFilterNote')}</p>}

      <div className="lagesbild-grid">
        <section className="card lagesbild-map" aria-labelledby="lagesbild-map-h">
          <h2 id="lagesbild-map-h">{t('lagesbildMap.mapTitle')}</h2>
          <p role="status" className="small" data-testid="map-summary">
            {summary ? <MapSummaryText summary={summary} /> : t('common.loading')}
          </p>
          <IncidentMap
            filter={filter}
            showIncidents={showIncidents && !periodError}
            showPolice={showPolice && !periodError}
            heat={!!search.heat}
            areas={areaItems}
            draft={draft}
            categoryName={categoryName}
            onMapClick={draft ? (lat, lon) => setDraft((d) => (d ? [...d, [lat, lon]] : d)) : undefined}
            onReady={(m) => (mapRef.current = m)}
            onSummary={setSummary}
          />
          <p className="small legend">
            <span className="legend-swatch legend-incidents" aria-hidden="true" /> {t('lagesbildMap.legendIncidents')}{' '}
            <span className="legend-swatch legend-police" aria-hidden="true" /> {t('lagesbildMap.legendPolice')}
          </p>
          <div className="button-row no-print">
            <button type="button" className="btn" onClick={() => window.print()}>
              {t('lagesbildMap.print')}
            </button>
            {holdsAtRoot(me, 'shares.manage') && (
              <ShareMapExtractButton
                selection={{
                  bbox: () => {
                    const b = mapRef.current?.getBounds();
                    if (!b) return null;
                    const lon = (v: number) => Math.min(180, Math.max(-180, v));
                    const lat = (v: number) => Math.min(90, Math.max(-90, v));
                    return [lon(b.getWest()), lat(b.getSouth()), lon(b.getEast()), lat(b.getNorth())].map((v) => v.toFixed(6)).join(',');
                  },
                  categoryId: search.categoryId,
                  from: filter.from,
                  to: filter.to,
                }}
              />
            )}
          </div>
        </section>

        <section className="card lagesbild-stats" aria-labelledby="lagesbild-stats-h">
          <h2 id="lagesbild-stats-h">{t('lagesbildMap.statsTitle')}</h2>
          {periodError ? <p className="alert alert-error">{periodError}</p> : <QueryState isPending={stats.isPending} error={stats.error} refetch={() => void stats.refetch()} />}
          {stats.data && (
            <SummaryTables
              stats={stats.data}
              categoryName={(k) => catByKey.get(k) ?? k}
              // "No incidents match the filters" only when a filter is set; otherwise there are none to see in the period (issue #13 item 4).
              emptyText={search.categoryId || search.organisationId || search.areaId || search.status || search.month || search.from || search.to ? t('lagesbildMap.statsEmpty') : t('lists.statsNone', { from: shownFrom, to: shownTo })}
            />
          )}
          {/* Nothing to export when nothing is counted: no button that makes an empty file. */}
          {!periodError && (stats.data?.total ?? 0) + (stats.data?.previousYearTotal ?? 0) > 0 && (
            <section className="no-print" aria-labelledby="lagesbild-export-h">
              <h3 id="lagesbild-export-h">{t('lagesbildMap.exportTitle')}</h3>
              <p className="small muted">{t('lagesbildMap.exportHelp')}</p>
              {/* Keyed by the selection so that a file made for other filters is never offered as this one. */}
              <ExportPanel key={JSON.stringify(exportParams)} kind={STATISTICS_EXPORT} formats={['pdf', 'xlsx']} what={t('lagesbildMap.exportTitle')} params={exportParams} />
            </section>
          )}
        </section>
      </div>
      {stats.data && stats.data.byCategory.some((c) => c.count > 0 || c.previousYear > 0) && (
        <section className="card" aria-labelledby="lagesbild-months-h">
          <h2 id="lagesbild-months-h">{t('lagesbildMap.monthsTitle')}</h2>
          <MonthTable stats={stats.data} months={month ? [month] : months} categoryName={(k) => catByKey.get(k) ?? k} />
        </section>
      )}

      {importPolice && <PoliceImport onDone={() => void qc.invalidateQueries({ queryKey: ['incident-map'] })} />}
      {configure && (
        <AreasAdmin
          areas={areaItems}
          draft={draft}
          setDraft={setDraft}
          center={() => {
            const c = mapRef.current?.getCenter();
            return c ? [c.lat, c.lng] : null;
          }}
          onChanged={() => {
            void qc.invalidateQueries({ queryKey: ['incident-areas'] });
            void qc.invalidateQueries({ queryKey: ['incident-statistics'] });
            void qc.invalidateQueries({ queryKey: ['incident-map'] });
          }}
        />
      )}
    </div>
  );
}

function MapSummaryText({ summary }: { summary: MapSummary }) {
  const { t } = useTranslation();
  const parts: string[] = [];
  if (summary.incidents !== null) parts.push(t('lagesbildMap.summaryIncidents', { count: summary.incidents }));
  if (summary.police !== null) parts.push(t('lagesbildMap.summaryPolice', { count: summary.police }));
  if (!parts.length) return <>{t('lagesbildMap.summaryNone')}</>;
  return (
    <>
      {t('lagesbildMap.summaryPrefix')} {parts.join(', ')}. {summary.mode === 'points' ? t('lagesbildMap.summaryPoints') : t('lagesbildMap.summaryClusters')}
      {summary.truncated && ` ${t('lagesbildMap.summaryTruncated')}`}
    </>
  );
}

/** A range input over the period's months: 0 = the whole period, 1…n = one month. */
function MonthSlider({ months, month, onChange }: { months: string[]; month: string | undefined; onChange: (m: string | undefined) => void }) {
  const { t } = useTranslation();
  const id = useId();
  if (months.length < 2) return null;
  const index = month ? months.indexOf(month) + 1 : 0;
  const text = month ? monthLabel(month, 'long') : t('lagesbildMap.wholePeriod');
  return (
    <div className="field month-slider">
      <label htmlFor={id}>{t('lagesbildMap.timeSlider')}</label>
      <input
        id={id}
        type="range"
        min={0}
        max={months.length}
        step={1}
        value={index}
        aria-valuetext={text}
        aria-describedby={`${id}-out`}
        onChange={(e) => {
          const i = Number(e.target.value);
          onChange(i === 0 ? undefined : months[i - 1]);
        }}
      />
      <output id={`${id}-out`} htmlFor={id} className="small">
        {t('lagesbildMap.showing', { what: text })}
      </output>
    </div>
  );
}

function SummaryTables({ stats, categoryName, emptyText }: { stats: StatsT; categoryName: (key: string) => string; emptyText: string }) {
  const { t } = useTranslation();
  const rows = stats.byCategory.filter((c) => c.count > 0 || c.previousYear > 0);
  const areaRows = [...stats.byArea].sort((a, b) => (a.areaName === null ? 1 : b.areaName === null ? -1 : a.areaName.localeCompare(b.areaName, 'sv')));
  const trendTable = (id: string, caption: string, head: string, items: { key: string; name: string; count: number; previousYear: number }[]) => (
    <div className="table-wrap" tabIndex={0} role="region" aria-labelledby={id}>
      <table className="table stats-table" data-testid={id}>
        <caption id={id} className="table-caption">
          {caption}
        </caption>
        <thead>
          <tr>
            <th scope="col">{head}</th>
            <th scope="col" className="num">
              {t('lagesbildMap.colTotal')}
            </th>
            <th scope="col" className="num">
              {t('lagesbildMap.colLastYear')}
            </th>
            <th scope="col">{t('lagesbildMap.colTrend')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((r) => (
            <tr key={r.key}>
              <th scope="row">{r.name}</th>
              <td className="num">{r.count}</td>
              <td className="num">{r.previousYear}</td>
              <td>{trendText(t, r.count, r.previousYear)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
  return (
    <>
      <p>
        {t('lagesbildMap.total', { count: stats.total })} {t('lagesbildMap.lastYear', { count: stats.previousYearTotal })} ({trendText(t, stats.total, stats.previousYearTotal)})
      </p>
      {rows.length === 0 ? (
        <Empty>{emptyText}</Empty>
      ) : (
        <>
          {trendTable('lagesbild-cat-caption', t('lagesbildMap.byCategoryTrendCaption'), t('incidents.category'), rows.map((r) => ({ key: r.categoryKey, name: categoryName(r.categoryKey), count: r.count, previousYear: r.previousYear })))}
          {trendTable('lagesbild-area-caption', t('lagesbildMap.byAreaCaption'), t('lagesbildMap.area'), areaRows.map((a) => ({ key: a.areaId ?? 'none', name: a.areaName ?? t('lagesbildMap.noArea'), count: a.count, previousYear: a.previousYear })))}
        </>
      )}
    </>
  );
}

/** Counts per category × month (the whole period, or the slider's month), with the trend. */
function MonthTable({ stats, months, categoryName }: { stats: StatsT; months: string[]; categoryName: (key: string) => string }) {
  const { t } = useTranslation();
  const perCell = new Map<string, number>();
  for (const c of stats.cells) perCell.set(`${c.categoryKey}|${c.month}`, (perCell.get(`${c.categoryKey}|${c.month}`) ?? 0) + c.count);
  const rows = stats.byCategory.filter((c) => c.count > 0 || c.previousYear > 0);
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="lagesbild-month-caption">
      <table className="table stats-table" data-testid="stats-by-month">
        <caption id="lagesbild-month-caption" className="table-caption">
          {t('lagesbildMap.byCategoryCaption')}
        </caption>
        <thead>
          <tr>
            <th scope="col">{t('incidents.category')}</th>
            {months.map((m) => (
              <th key={m} scope="col" className="num">
                {monthLabel(m)}
              </th>
            ))}
            <th scope="col" className="num">
              {t('lagesbildMap.colTotal')}
            </th>
            <th scope="col" className="num">
              {t('lagesbildMap.colLastYear')}
            </th>
            <th scope="col">{t('lagesbildMap.colTrend')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.categoryKey}>
              <th scope="row">{categoryName(r.categoryKey)}</th>
              {months.map((m) => (
                <td key={m} className="num">
                  {perCell.get(`${r.categoryKey}|${m}`) ?? 0}
                </td>
              ))}
              <td className="num">{r.count}</td>
              <td className="num">{r.previousYear}</td>
              <td>{trendText(t, r.count, r.previousYear)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function PoliceImport({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [missing, setMissing] = useState(false);
  const [result, setResult] = useState<PoliceImportT | null>(null);
  const run = useMutation({
    mutationFn: (f: File) => lagesbildMapApi.importPolice(f),
    onSuccess: (r) => {
      setResult(r);
      onDone();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setResult(null);
    if (!file) return setMissing(true);
    run.mutate(file);
  };
  return (
    <section className="card no-print" aria-labelledby="lagesbild-police-h">
      <h2 id="lagesbild-police-h">{t('lagesbildMap.policeImportTitle')}</h2>
      <p className="small">{t('lagesbildMap.policeImportHelp')}</p>
      <form onSubmit={submit} noValidate>
        <TextField
          label={t('lagesbildMap.policeFile')}
          type="file"
          accept=".json,application/json"
          required
          error={missing ? t('lagesbildMap.fileMissing') : undefined}
          onChange={(e) => {
            setFile(e.target.files?.[0] ?? null);
            setMissing(false);
          }}
        />
        <ErrorMessage error={run.error} />
        <button type="submit" className="btn btn-primary" disabled={run.isPending}>
          {t('lagesbildMap.policeImport')}
        </button>
      </form>
      <Notice message={result ? t('lagesbildMap.policeImported', { imported: result.imported, updated: result.updated, duplicates: result.duplicates, outside: result.outsideMunicipality, errors: result.errors.length }) : null} />
      {result && result.unmappedTypes.length > 0 && <p className="alert alert-warn">{t('policeTypes.imported', { types: result.unmappedTypes.join(', ') })}</p>}
      {result && result.errors.length > 0 && (
        <ul className="small">
          {result.errors.slice(0, 50).map((e) => (
            <li key={e.row}>{t('lagesbildMap.policeRowError', { row: e.row, message: e.message })}</li>
          ))}
        </ul>
      )}
    </section>
  );
}

type Ring = number[][];
/** The polygons of a GeoJSON file as one geometry the server accepts (Polygon, or MultiPolygon for several), and a name if the file has one. */
export function geometryOfFile(json: unknown): { geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown }; name?: string } | null {
  const polys: Ring[][] = [];
  let name: string | undefined;
  const take = (g: unknown, props?: unknown) => {
    const geo = g as { type?: string; coordinates?: unknown } | null;
    if (!geo || typeof geo !== 'object') return;
    if (geo.type === 'Polygon' && Array.isArray(geo.coordinates)) polys.push(geo.coordinates as Ring[]);
    else if (geo.type === 'MultiPolygon' && Array.isArray(geo.coordinates)) polys.push(...(geo.coordinates as Ring[][]));
    else return;
    const n = (props as { name?: unknown } | null | undefined)?.name;
    if (!name && typeof n === 'string' && n.trim()) name = n.trim();
  };
  const j = json as { type?: string; geometry?: unknown; properties?: unknown; features?: unknown } | null;
  if (j?.type === 'FeatureCollection' && Array.isArray(j.features)) for (const f of j.features as { geometry?: unknown; properties?: unknown }[]) take(f?.geometry, f?.properties);
  else if (j?.type === 'Feature') take(j.geometry, j.properties);
  else take(j);
  if (!polys.length) return null;
  return { geometry: polys.length === 1 ? { type: 'Polygon', coordinates: polys[0] } : { type: 'MultiPolygon', coordinates: polys }, name };
}

function AreasAdmin({
  areas,
  draft,
  setDraft,
  center,
  onChanged,
}: {
  areas: AreaT[];
  draft: [number, number][] | null;
  setDraft: (d: [number, number][] | null | ((d: [number, number][] | null) => [number, number][] | null)) => void;
  center: () => [number, number] | null;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [errors, setErrors] = useState<{ name?: string; points?: string; file?: string }>({});
  const [notice, setNotice] = useState<string | null>(null);
  const [removing, setRemoving] = useState<AreaT | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [importName, setImportName] = useState('');
  const create = useMutation({
    mutationFn: (body: { name: string; geometry: unknown }) => lagesbildMapApi.createArea(body),
    onSuccess: (a) => {
      setDraft(null);
      setName('');
      setImportName('');
      setFile(null);
      setNotice(t('lagesbildMap.areaCreated', { name: a.name }));
      onChanged();
    },
  });
  const remove = useMutation({
    mutationFn: (a: AreaT) => lagesbildMapApi.deleteArea(a.id, a.version),
    onSuccess: (_r, a) => {
      setRemoving(null);
      setNotice(t('lagesbildMap.areaRemoved', { name: a.name }));
      onChanged();
      requestAnimationFrame(() => document.getElementById('lagesbild-areas-h')?.focus());
    },
  });

  const finish = (e: FormEvent) => {
    e.preventDefault();
    const problems = { name: name.trim() ? undefined : t('lagesbildMap.required'), points: (draft?.length ?? 0) >= 3 ? undefined : t('lagesbildMap.tooFewPoints') };
    setErrors(problems);
    if (problems.name || problems.points || !draft) return;
    const ring = [...draft.map(([lat, lon]) => [lon, lat]), [draft[0][1], draft[0][0]]];
    create.mutate({ name: name.trim(), geometry: { type: 'Polygon', coordinates: [ring] } });
  };
  const importFile = async (e: FormEvent) => {
    e.preventDefault();
    setErrors({});
    if (!file) return setErrors({ file: t('lagesbildMap.fileMissing') });
    let parsed: ReturnType<typeof geometryOfFile> = null;
    try {
      parsed = geometryOfFile(JSON.parse(await file.text()));
    } catch {
      return setErrors({ file: t('lagesbildMap.geojsonInvalid') });
    }
    if (!parsed) return setErrors({ file: t('lagesbildMap.geojsonNoPolygon') });
    create.mutate({ name: importName.trim() || parsed.name || file.name.replace(/\.[^.]+$/, ''), geometry: parsed.geometry });
  };

  return (
    <section className="card no-print" aria-labelledby="lagesbild-areas-h">
      <h2 id="lagesbild-areas-h" tabIndex={-1}>
        {t('lagesbildMap.areasTitle')}
      </h2>
      <Notice message={notice} />
      {areas.length === 0 ? (
        <Empty>{t('lagesbildMap.noAreas')}</Empty>
      ) : (
        <ul className="plain-list area-list">
          {areas.map((a) => (
            <li key={a.id}>
              <span>{a.name}</span>{' '}
              <button type="button" className="btn btn-small" onClick={() => setRemoving(a)} aria-label={t('lagesbildMap.removeArea', { name: a.name })}>
                {t('lagesbildMap.remove')}
              </button>
            </li>
          ))}
        </ul>
      )}

      <h3>{t('lagesbildMap.drawTitle')}</h3>
      {!draft ? (
        <button
          type="button"
          className="btn"
          onClick={() => {
            setErrors({});
            setNotice(null);
            setDraft([]);
          }}
        >
          {t('lagesbildMap.drawStart')}
        </button>
      ) : (
        <form onSubmit={finish} noValidate aria-label={t('lagesbildMap.drawTitle')}>
          <p className="small">{t('lagesbildMap.drawHelp')}</p>
          <TextField label={t('lagesbildMap.areaName')} required value={name} onChange={(e) => setName(e.target.value)} error={errors.name} maxLength={200} />
          <p role="status" className="small">
            {t('lagesbildMap.pointCount', { count: draft.length })}
          </p>
          {errors.points && draft.length < 3 && <p className="field-error">{errors.points}</p>}
          <div className="button-row">
            <button
              type="button"
              className="btn"
              onClick={() => {
                const c = center();
                if (c) setDraft((d) => (d ? [...d, c] : d));
              }}
            >
              {t('lagesbildMap.addCenter')}
            </button>
            <button type="button" className="btn" disabled={draft.length === 0} onClick={() => setDraft((d) => (d ? d.slice(0, -1) : d))}>
              {t('lagesbildMap.undoPoint')}
            </button>
            <button type="submit" className="btn btn-primary" disabled={create.isPending}>
              {t('lagesbildMap.finish')}
            </button>
            <button
              type="button"
              className="btn"
              onClick={() => {
                setDraft(null);
                setErrors({});
              }}
            >
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}

      <h3>{t('lagesbildMap.importAreaTitle')}</h3>
      <form onSubmit={(e) => void importFile(e)} noValidate>
        <TextField label={t('lagesbildMap.geojsonFile')} type="file" accept=".json,.geojson,application/json,application/geo+json" required error={errors.file} onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        <TextField label={t('lagesbildMap.areaNameOptional')} value={importName} onChange={(e) => setImportName(e.target.value)} maxLength={200} />
        <button type="submit" className="btn" disabled={create.isPending}>
          {t('lagesbildMap.importArea')}
        </button>
      </form>
      <ErrorMessage error={create.error} />

      {removing && (
        <ConfirmDialog
          isOpen
          title={t('lagesbildMap.removeTitle')}
          text={t('lagesbildMap.removeText', { name: removing.name })}
          confirmLabel={t('lagesbildMap.remove')}
          pending={remove.isPending}
          error={remove.error}
          onClose={() => {
            setRemoving(null);
            remove.reset();
          }}
          onConfirm={() => remove.mutate(removing)}
          onReload={onChanged}
        />
      )}
    </section>
  );
}
