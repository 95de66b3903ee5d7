import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client.ts';
import { ErrorMessage, QueryState } from '../../../components/Feedback.tsx';
import { TextAreaField, TextField } from '../../../components/Field.tsx';
import { useForm } from '../../../components/useForm.ts';
import { todayInStockholm } from '../../../format.ts';
import { followUp, type RoundIndicatorT } from '../api.ts';

/**
 * The goals' indicators a follow-up round asks for (issue #11 item 4): in Mina uppgifter those the user's
 * organisations measure (`mine`), on the round's page every one for the coordinator. Each has a small form
 * for the round's measured value; saved, it is one of the indicator's values (source: the round).
 */
export function RoundIndicators({ roundId, mine, level = 3, title, onNotice }: { roundId: string; mine: boolean; level?: 2 | 3; title?: string; onNotice: (message: string) => void }) {
  const { t } = useTranslation();
  const query = useQuery({ queryKey: ['round-indicators', roundId, mine], queryFn: () => followUp.roundIndicators(roundId, mine) });
  // A round of its own (title given) stays out of sight until it has something to ask.
  if (!query.data) return title ? null : <QueryState isPending={query.isPending} error={query.error} refetch={() => void query.refetch()} />;
  if (query.data.items.length === 0) return null;
  const headingId = `round-ind-${roundId}`;
  const Heading = level === 2 ? 'h2' : 'h3';
  return (
    <section className={level === 2 ? 'card' : 'section'} aria-labelledby={headingId}>
      <Heading id={headingId}>{title ?? t('roundIndicators.title')}</Heading>
      <p className="muted small">{t('roundIndicators.intro')}</p>
      {query.data.items.map((item) => (
        <IndicatorForm key={`${item.goalId}-${item.value?.version ?? 0}`} roundId={roundId} roundName={query.data.roundName} item={item} level={level} onNotice={onNotice} />
      ))}
    </section>
  );
}

function IndicatorForm({ roundId, roundName, item, level, onNotice }: { roundId: string; roundName: string; item: RoundIndicatorT; level: 2 | 3; onNotice: (message: string) => void }) {
  const Heading = level === 2 ? 'h3' : 'h4';
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const number = new Intl.NumberFormat(i18n.language === 'en' ? 'en-GB' : 'sv-SE', { maximumFractionDigits: 2 });
  const withUnit = (v: number) => `${number.format(v)}${item.unit ? ` ${item.unit}` : ''}`;
  const prefix = `ri-${roundId}-${item.goalId}-`;
  const form = useForm(
    { value: item.value ? String(item.value.value).replace('.', ',') : '', measuredOn: item.value?.measuredOn ?? todayInStockholm(), period: item.value?.period ?? '', note: item.value?.note ?? '' },
    {
      focusPrefix: prefix,
      validate: (v) => ({
        value: v.value.trim() === '' ? t('common.fieldRequired') : Number.isFinite(Number(v.value.trim().replace(',', '.'))) ? undefined : t('indicators.valueNumber'),
        measuredOn: v.measuredOn ? undefined : t('common.fieldRequired'),
      }),
      submit: (v) =>
        followUp.enterIndicator(roundId, item.goalId, {
          value: Number(v.value.trim().replace(',', '.')),
          measuredOn: v.measuredOn,
          period: v.period.trim() || null,
          note: v.note.trim() || null,
          ...(item.value ? { version: item.value.version } : {}),
        }),
      onSuccess: () => {
        onNotice(t('roundIndicators.saved', { name: item.indicator }));
        void qc.invalidateQueries({ queryKey: ['round-indicators', roundId] });
        void qc.invalidateQueries({ queryKey: ['indicator', item.goalId] });
        void qc.invalidateQueries({ queryKey: ['rollup'] });
      },
    },
  );
  const conflict = form.error instanceof ApiError && form.error.code === 'VERSION_CONFLICT';
  const headingId = `${prefix}h`;
  const unit = item.unit ? ` (${item.unit})` : '';
  return (
    <form className="card task" aria-labelledby={headingId} noValidate onSubmit={(e) => void form.handleSubmit(e)}>
      <Heading id={headingId}>{t('roundIndicators.goal', { number: item.number, name: item.indicator })}</Heading>
      <p className="muted small">
        {t('roundIndicators.organisation', { name: item.organisationName })}
        {item.baseline !== null && <> · {t('indicators.baseline')}: {withUnit(item.baseline)}</>}
        {item.targetValue !== null && <> · {t('indicators.target')}: {withUnit(item.targetValue)}</>}
      </p>
      <p className="trend">{item.previous ? t('roundIndicators.previous', { value: withUnit(item.previous.value), period: item.previous.period ?? item.previous.measuredOn }) : t('roundIndicators.noPrevious')}</p>
      {item.value && <p className="strong">{t('roundIndicators.entered', { value: withUnit(item.value.value), by: item.value.enteredByName ?? '–' })}</p>}
      {item.mayEnter ? (
        <>
          <div className="grid-2">
            <TextField id={`${prefix}value`} label={`${t('roundIndicators.value')}${unit}`} inputMode="decimal" value={form.values.value} onChange={form.set('value')} error={form.err('value')} required />
            <TextField id={`${prefix}measuredOn`} label={t('roundIndicators.measuredOn')} type="date" value={form.values.measuredOn} onChange={form.set('measuredOn')} error={form.err('measuredOn')} required />
            <TextField id={`${prefix}period`} label={t('indicators.period')} description={t('roundIndicators.periodHelp', { round: roundName })} value={form.values.period} onChange={form.set('period')} error={form.err('period')} maxLength={50} />
          </div>
          <TextAreaField id={`${prefix}note`} label={t('indicators.note')} value={form.values.note} onChange={form.set('note')} error={form.err('note')} maxLength={2000} />
          <ErrorMessage error={form.error} onReload={conflict ? () => void qc.invalidateQueries({ queryKey: ['round-indicators', roundId] }) : undefined} />
          <div className="button-row">
            <button type="submit" className="btn btn-primary" disabled={form.submitting}>
              {item.value ? t('roundIndicators.replace') : t('roundIndicators.save')}
            </button>
          </div>
        </>
      ) : (
        <p className="muted small">{t('roundIndicators.closed')}</p>
      )}
    </form>
  );
}
