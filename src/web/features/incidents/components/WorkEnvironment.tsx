import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormDialog } from '../../../components/Dialogs.tsx';
import { SelectField, TextAreaField, TextField } from '../../../components/Field.tsx';
import { useForm } from '../../../components/useForm.ts';
import { formatDateTime } from '../../../format.ts';
import { todayInStockholm } from '../../../../shared/time.ts';
import { incidentsApi, type IncidentDetailT } from '../api.ts';
import { nowLocal, stockholmToIso } from '../pages/IncidentReport.tsx';

type Handling = NonNullable<IncidentDetailT['workEnvironment']>;


/**
 * The employer's work-environment handling of a threat or violence against an employee: the seriousness
 * assessment, the report to Arbetsmiljöverket, the safety representative, the investigation and measures, the
 * occupational-injury report. For an elected official it explains that the duty does not apply.
 */
export function WorkEnvironmentSection({ inc, manage, onDone }: { inc: IncidentDetailT; manage: boolean; onDone: (i: IncidentDetailT, m: string) => void }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const w = inc.workEnvironment;
  if (!w) return null;
  const or = (v: string | null | undefined) => v || t('workEnv.notYet');
  return (
    <section className="card" aria-labelledby="inc-workenv-h">
      <h2 id="inc-workenv-h">{t('workEnv.heading')}</h2>
      {!w.applies ? (
        <p>{t('workEnv.notApplicable')}</p>
      ) : (
        <>
          <p className="small">{t('workEnv.intro')}</p>
          <dl className="dl incident-dl">
            <dt>{t('workEnv.serious')}</dt>
            <dd>
              {t(`workEnv.seriousValue.${w.serious === null ? '' : w.serious ? 'yes' : 'no'}`)}
              {w.assessedBy && <span className="block small">{t('workEnv.assessedBy', { name: w.assessedBy, at: formatDateTime(w.assessedAt) })}</span>}
              {w.assessmentNote && <span className="block prewrap">{w.assessmentNote}</span>}
            </dd>
            <dt>{t('workEnv.avReportedAt')}</dt>
            <dd>{w.avReportedAt ? `${formatDateTime(w.avReportedAt)} (${w.avReference ?? ''})` : t('workEnv.notYet')}</dd>
            <dt>{t('workEnv.safetyRepInformedOn')}</dt>
            <dd>{or(w.safetyRepInformedOn)}</dd>
            <dt>{t('workEnv.investigation')}</dt>
            <dd className="prewrap">{or(w.investigation)}</dd>
            <dt>{t('workEnv.measures')}</dt>
            <dd className="prewrap">{or(w.measures)}</dd>
            <dt>{t('workEnv.injury')}</dt>
            <dd>
              {t(`workEnv.injuryValue.${w.injury ? 'yes' : 'no'}`)}
              {w.injury && <span className="block">{t('workEnv.injuryReportedOn')}: {w.injuryReportedOn ? `${w.injuryReportedOn} (${w.injuryReference ?? ''})` : t('workEnv.notYet')}</span>}
            </dd>
          </dl>
          {manage && (
            <button type="button" className="btn" onClick={() => setEditing(true)}>
              {t('workEnv.edit')}
            </button>
          )}
        </>
      )}
      {editing && (
        <HandlingDialog
          id={inc.id}
          w={w}
          onClose={() => setEditing(false)}
          onDone={(fresh) => {
            setEditing(false);
            onDone(fresh, t('workEnv.saved'));
          }}
        />
      )}
    </section>
  );
}

function HandlingDialog({ id, w, onClose, onDone }: { id: string; w: Handling; onClose: () => void; onDone: (i: IncidentDetailT) => void }) {
  const { t } = useTranslation();
  const today = todayInStockholm();
  const form = useForm(
    {
      serious: w.serious === null ? '' : w.serious ? 'yes' : 'no',
      assessmentNote: w.assessmentNote ?? '',
      avReportedAt: w.avReportedAt ? nowLocal(new Date(w.avReportedAt)) : '',
      avReference: w.avReference ?? '',
      safetyRepInformedOn: w.safetyRepInformedOn ?? '',
      investigation: w.investigation ?? '',
      measures: w.measures ?? '',
      injury: w.injury ? 'yes' : 'no',
      injuryReportedOn: w.injuryReportedOn ?? '',
      injuryReference: w.injuryReference ?? '',
    },
    {
      validate: (v) => ({
        avReportedAt: v.avReportedAt && v.serious !== 'yes' ? t('workEnv.errAvOnlySerious') : undefined,
        avReference: v.avReportedAt && !v.avReference.trim() ? t('workEnv.errAvReference') : undefined,
        injuryReportedOn: v.injuryReportedOn && v.injury !== 'yes' ? t('workEnv.errInjury') : undefined,
      }),
      submit: (v) =>
        incidentsApi.saveWorkEnvironment(id, {
          version: w.version,
          serious: v.serious === '' ? null : v.serious === 'yes',
          assessmentNote: v.assessmentNote.trim() || null,
          avReportedAt: v.avReportedAt ? (stockholmToIso(v.avReportedAt) ?? null) : null,
          avReference: v.avReference.trim() || null,
          safetyRepInformedOn: v.safetyRepInformedOn || null,
          investigation: v.investigation.trim() || null,
          measures: v.measures.trim() || null,
          injury: v.injury === 'yes',
          injuryReportedOn: v.injuryReportedOn || null,
          injuryReference: v.injuryReference.trim() || null,
        }),
      onSuccess: onDone,
    },
  );
  const { values, set, err } = form;
  return (
    <FormDialog isOpen title={t('workEnv.editTitle')} onClose={onClose} onSubmit={() => void form.handleSubmit()} submitLabel={t('common.save')} pending={form.submitting} error={form.error}>
      <SelectField label={t('workEnv.serious')} value={values.serious} onChange={set('serious')} error={err('serious')} autoFocus>
        {(['', 'yes', 'no'] as const).map((k) => (
          <option key={k} value={k}>
            {t(`workEnv.seriousValue.${k}`)}
          </option>
        ))}
      </SelectField>
      <TextAreaField label={t('workEnv.assessmentNote')} value={values.assessmentNote} onChange={set('assessmentNote')} error={err('assessmentNote')} maxLength={2000} />
      <TextField label={t('workEnv.avReportedAt')} type="datetime-local" value={values.avReportedAt} onChange={set('avReportedAt')} error={err('avReportedAt')} />
      <TextField label={t('workEnv.avReference')} value={values.avReference} onChange={set('avReference')} error={err('avReference')} maxLength={100} />
      <TextField label={t('workEnv.safetyRepInformedOn')} type="date" max={today} value={values.safetyRepInformedOn} onChange={set('safetyRepInformedOn')} error={err('safetyRepInformedOn')} />
      <TextAreaField label={t('workEnv.investigation')} value={values.investigation} onChange={set('investigation')} error={err('investigation')} maxLength={5000} />
      <TextAreaField label={t('workEnv.measures')} value={values.measures} onChange={set('measures')} error={err('measures')} maxLength={5000} />
      <SelectField label={t('workEnv.injury')} value={values.injury} onChange={set('injury')} error={err('injury')}>
        <option value="no">{t('workEnv.injuryValue.no')}</option>
        <option value="yes">{t('workEnv.injuryValue.yes')}</option>
      </SelectField>
      {values.injury === 'yes' && (
        <>
          <TextField label={t('workEnv.injuryReportedOn')} type="date" max={today} value={values.injuryReportedOn} onChange={set('injuryReportedOn')} error={err('injuryReportedOn')} />
          <TextField label={t('workEnv.injuryReference')} value={values.injuryReference} onChange={set('injuryReference')} error={err('injuryReference')} maxLength={100} />
        </>
      )}
    </FormDialog>
  );
}
