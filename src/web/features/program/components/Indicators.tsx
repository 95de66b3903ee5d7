import { useRef, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { SERIES_COLORS, type ChartBlock } from '../../../../shared/charts.ts';
import { ChartFigure } from '../../../components/ChartFigure.tsx';
import { ConfirmDialog, FormDialog } from '../../../components/Dialogs.tsx';
import { ErrorMessage, QueryState } from '../../../components/Feedback.tsx';
import { TextAreaField, TextField } from '../../../components/Field.tsx';
import { useForm } from '../../../components/useForm.ts';
import { todayInStockholm } from '../../../../shared/time.ts';
import { indicators as indicatorApi, type IndicatorImportResultT, type IndicatorTrendT, type RollupT } from '../api.ts';

type Node = Pick<RollupT, 'fulfilment' | 'implementationRate'>;
const pct = (v: number) => `${new Intl.NumberFormat('sv-SE', { maximumFractionDigits: 1 }).format(v)} %`;

/** Goal fulfilment (from the indicators) and the implementation rate (from the actions), side by side but apart. */
export function Fulfilment({ node }: { node: Node }) {
  const { t } = useTranslation();
  return (
    <p className="muted small">
      {node.fulfilment != null ? t('indicators.fulfilmentValue', { value: pct(node.fulfilment) }) : t('indicators.noFulfilment')}
      {node.implementationRate != null && <> · {t('indicators.implementationRate', { value: pct(node.implementationRate) })}</>}
    </p>
  );
}

/** The trend as a chart block (the shapes the council report draws): measured values against baseline and target. */
function trendChart(tr: IndicatorTrendT, t: (k: string, o?: Record<string, unknown>) => string): ChartBlock {
  const categories = tr.values.map((v) => v.period ?? v.measuredOn);
  const unit = tr.unit ? ` ${tr.unit}` : '';
  const fmt = (v: number | null) => (v === null ? '–' : `${v}${unit}`);
  const flat = (v: number) => categories.map(() => v);
  const series: ChartBlock['series'] = [{ name: t('indicators.measured'), values: tr.values.map((v) => v.value), labels: tr.values.map((v) => fmt(v.value)), color: SERIES_COLORS[0] }];
  if (tr.baseline !== null) series.push({ name: t('indicators.baseline'), values: flat(tr.baseline), labels: flat(tr.baseline).map(fmt), color: SERIES_COLORS[2], dashed: true });
  if (tr.targetValue !== null) series.push({ name: t('indicators.target'), values: flat(tr.targetValue), labels: flat(tr.targetValue).map(fmt), color: SERIES_COLORS[1], dashed: true });
  const title = t('indicators.trendTitle', { name: tr.indicator ?? '' });
  const values = series.map((s) => `${s.name}: ${categories.map((c, i) => `${c} ${s.labels?.[i] ?? ''}`).join(', ')}`).join('; ');
  const max = tr.scaleMax ?? (tr.unit?.trim() === '%' ? 100 : undefined);
  return { type: 'chart', kind: 'line', title, alt: t('indicators.trendAlt', { title, values }), categories, series, ...(max !== undefined ? { max } : {}), ...(tr.unit ? { unit: tr.unit } : {}) };
}

/** A goal's indicator: baseline, target, latest value, the trend chart, the measured values and (for managers) entering and removing them. */
export function GoalIndicator({ goalId, onChanged }: { goalId: string; onChanged: (message: string) => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const query = useQuery({ queryKey: ['indicator', goalId], queryFn: () => indicatorApi.trend(goalId) });
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<IndicatorTrendT['values'][number] | null>(null);
  const changed = (message: string) => {
    void qc.invalidateQueries({ queryKey: ['indicator', goalId] });
    void qc.invalidateQueries({ queryKey: ['rollup'] });
    onChanged(message);
  };
  const remove = useMutation({
    mutationFn: (v: { id: string; version: number }) => indicatorApi.remove(v.id, v.version),
    onSuccess: () => {
      setRemoving(null);
      changed(t('indicators.removed'));
    },
  });
  if (!query.data) return <QueryState isPending={query.isPending} error={query.error} refetch={() => void query.refetch()} />;
  const tr = query.data;
  if (!tr.indicator) return <p className="muted small">{t('indicators.noIndicator')}</p>;
  const withUnit = (v: number | null) => (v === null ? '–' : `${v}${tr.unit ? ` ${tr.unit}` : ''}`);
  return (
    <div className="indicator">
      <h4>{t('indicators.heading', { name: tr.indicator })}</h4>
      <dl className="dl">
        <dt>{t('indicators.baseline')}</dt>
        <dd>{withUnit(tr.baseline)}</dd>
        <dt>{t('indicators.target')}</dt>
        <dd>
          {withUnit(tr.targetValue)}
          {tr.targetYear ? ` (${tr.targetYear})` : ''}
        </dd>
        <dt>{t('indicators.latest')}</dt>
        <dd>{tr.latest ? `${withUnit(tr.latest.value)} (${tr.latest.measuredOn})` : '–'}</dd>
        <dt>{t('indicators.fulfilment')}</dt>
        <dd>{tr.fulfilment === null ? '–' : pct(tr.fulfilment)}{tr.reached ? ` — ${t('indicators.reached')}` : ''}</dd>
      </dl>
      {tr.values.length > 0 ? <ChartFigure chart={trendChart(tr, t)} /> : <p className="empty">{t('indicators.noValues')}</p>}
      {tr.values.length > 0 && (
        <div className="table-wrap" tabIndex={0} role="region" aria-label={t('indicators.values')}>
          <table className="table">
            <caption className="visually-hidden">{t('indicators.values')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('indicators.date')}</th>
                <th scope="col">{t('indicators.period')}</th>
                <th scope="col">{t('indicators.value')}</th>
                <th scope="col">{t('indicators.source')}</th>
                <th scope="col">{t('indicators.note')}</th>
                <th scope="col">{t('indicators.enteredBy')}</th>
                {tr.mayManage && (
                  <th scope="col">
                    <span className="visually-hidden">{t('indicators.remove')}</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {tr.values.map((v) => (
                <tr key={v.id}>
                  <td className="nowrap">{v.measuredOn}</td>
                  <td>{v.period ?? '–'}</td>
                  <td className="nowrap">{withUnit(v.value)}</td>
                  <td>{t(`indicators.sourceValue.${v.source}`)}</td>
                  <td>{v.note ?? '–'}</td>
                  <td>{v.enteredByName ?? '–'}</td>
                  {tr.mayManage && (
                    <td>
                      <button type="button" className="btn btn-small" aria-label={t('indicators.removeLabel', { date: v.measuredOn })} onClick={() => setRemoving(v)}>
                        {t('indicators.remove')}
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {tr.mayManage && (
        <button type="button" className="btn btn-small" onClick={() => setAdding(true)}>
          {t('indicators.add')}
        </button>
      )}
      {adding && <AddValueDialog trend={tr} onClose={() => setAdding(false)} onDone={() => { setAdding(false); changed(t('indicators.added')); }} />}
      {removing && (
        <ConfirmDialog
          title={t('indicators.removeTitle')}
          text={t('indicators.removeText', { value: withUnit(removing.value), date: removing.measuredOn })}
          isOpen
          onClose={() => setRemoving(null)}
          onConfirm={() => remove.mutate(removing)}
          confirmLabel={t('indicators.remove')}
          pending={remove.isPending}
          error={remove.error}
        />
      )}
    </div>
  );
}

function AddValueDialog({ trend, onClose, onDone }: { trend: IndicatorTrendT; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const form = useForm(
    { measuredOn: todayInStockholm(), period: '', value: '', note: '' },
    {
      validate: (v) => ({
        measuredOn: v.measuredOn ? undefined : t('common.fieldRequired'),
        value: v.value.trim() === '' ? t('common.fieldRequired') : Number.isFinite(Number(v.value.replace(',', '.'))) ? undefined : t('indicators.valueNumber'),
      }),
      submit: (v) =>
        indicatorApi.add(trend.goalId, { measuredOn: v.measuredOn, period: v.period.trim() || null, value: Number(v.value.replace(',', '.')), note: v.note.trim() || null }),
      onSuccess: onDone,
    },
  );
  const { values, set, err } = form;
  return (
    <FormDialog title={t('indicators.addTitle', { name: trend.indicator ?? '' })} isOpen onClose={onClose} onSubmit={() => void form.handleSubmit()} submitLabel={t('indicators.add')} pending={form.submitting} error={form.error}>
      <TextField label={t('indicators.date')} type="date" value={values.measuredOn} onChange={set('measuredOn')} error={err('measuredOn')} required />
      <TextField label={t('indicators.period')} value={values.period} onChange={set('period')} error={err('period')} />
      <TextField label={`${t('indicators.value')}${trend.unit ? ` (${trend.unit})` : ''}`} inputMode="decimal" value={values.value} onChange={set('value')} error={err('value')} required />
      <TextAreaField label={t('indicators.note')} value={values.note} onChange={set('note')} error={err('note')} />
    </FormDialog>
  );
}

/** Importing key figures from a file in Kolada's shape: a preview row by row, then all rows or none. */
export function IndicatorImport({ programId, onImported }: { programId: string; onImported: (message: string) => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [result, setResult] = useState<IndicatorImportResultT | null>(null);
  const preview = useMutation({ mutationFn: (f: File) => indicatorApi.importFile(programId, f, true), onSuccess: setResult, onError: () => setResult(null) });
  const apply = useMutation({
    mutationFn: (f: File) => indicatorApi.importFile(programId, f, false),
    onSuccess: () => {
      setResult(null);
      setFile(null);
      if (input.current) input.current.value = '';
      void qc.invalidateQueries({ queryKey: ['indicator'] });
      void qc.invalidateQueries({ queryKey: ['rollup'] });
      onImported(t('indicators.importDone'));
    },
  });
  return (
    <section className="card" aria-labelledby="indicator-import-h">
      <h2 id="indicator-import-h">{t('indicators.importTitle')}</h2>
      <p className="muted">{t('indicators.importHelp')}</p>
      <div className="field">
        <label htmlFor="indicator-import-file">{t('indicators.importFile')}</label>
        <input id="indicator-import-file" ref={input} type="file" accept=".csv,.xlsx" onChange={(e) => { setFile(e.target.files?.[0] ?? null); setResult(null); }} />
      </div>
      <div className="toolbar">
        <button type="button" className="btn" disabled={!file || preview.isPending} onClick={() => file && preview.mutate(file)}>
          {t('indicators.importPreview')}
        </button>
        {result?.valid && file && (
          <button type="button" className="btn btn-primary" disabled={apply.isPending} onClick={() => apply.mutate(file)}>
            {t('indicators.importApply')}
          </button>
        )}
      </div>
      <ErrorMessage error={preview.error ?? apply.error} />
      {result && (
        <div role="status">
          <p>{t('indicators.importRows', { count: result.counts.import, invalid: result.counts.invalid })}</p>
          {result.fileErrors.map((m) => (
            <p key={m} className="error-text">{m}</p>
          ))}
          <ul>
            {result.rows
              .filter((r) => r.errors.length)
              .map((r) => (
                <li key={r.row}>
                  {t('indicators.importRow', { row: r.row })}: {r.errors.map((e) => `${e.column}: ${e.message}`).join(' ')}
                </li>
              ))}
          </ul>
        </div>
      )}
    </section>
  );
}
