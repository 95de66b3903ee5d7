import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { SelectField } from '../../../components/Field.tsx';
import { ErrorMessage, Notice } from '../../../components/Feedback.tsx';
import { useForm } from '../../../components/useForm.ts';
import { useCategoryName } from '../../../i18n/categories.ts';
import { incidentsApi } from '../api.ts';

const NOT_EVENT = 'excluded';

/**
 * The week's police event types that no category counts (issue #11 item 6), most frequent first; those who
 * configure incidents map them here, each to a category or as "not an event", and the week counts them at once.
 */
export function UnmappedPoliceTypes({ types, canMap }: { types: { policeType: string; count: number }[]; canMap: boolean }) {
  const { t } = useTranslation();
  const [saved, setSaved] = useState<string | null>(null);
  if (types.length === 0) return <Notice message={saved} />;
  return (
    <section className="card alert-warn" aria-labelledby="unmapped-h">
      <h3 id="unmapped-h">{t('policeTypes.heading')}</h3>
      <p>{t('policeTypes.intro')}</p>
      {canMap ? (
        <MappingForm key={types.map((x) => x.policeType).join('|')} types={types} onSaved={() => setSaved(t('policeTypes.saved'))} />
      ) : (
        <>
          <ul>
            {types.map((x) => (
              <li key={x.policeType}>
                {x.policeType} ({x.count})
              </li>
            ))}
          </ul>
          <p className="muted">{t('policeTypes.askAdmin')}</p>
        </>
      )}
    </section>
  );
}

function MappingForm({ types, onSaved }: { types: { policeType: string; count: number }[]; onSaved: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const cats = useQuery({ queryKey: ['incident-categories'], queryFn: () => incidentsApi.categories() });
  const nameOf = useCategoryName();
  const [nothing, setNothing] = useState<string | null>(null);
  const form = useForm(Object.fromEntries(types.map((x) => [x.policeType, ''])) as Record<string, string>, {
    submit: (v) =>
      incidentsApi.savePoliceMappings(
        Object.entries(v)
          .filter(([, choice]) => choice)
          .map(([policeType, choice]) => (choice === NOT_EVENT ? { policeType, categoryId: null, excluded: true } : { policeType, categoryId: choice })),
      ),
    onSuccess: () => {
      onSaved();
      void qc.invalidateQueries({ queryKey: ['lagesbild-week'] });
    },
  });
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const any = Object.values(form.values).some(Boolean);
        setNothing(any ? null : t('policeTypes.nothingChosen'));
        if (any) void form.handleSubmit();
      }}
    >
      {types.map((x) => (
        <SelectField key={x.policeType} label={t('policeTypes.category', { type: `${x.policeType} (${x.count})` })} value={form.values[x.policeType]} onChange={form.set(x.policeType)}>
          <option value="">{t('policeTypes.choose')}</option>
          {(cats.data?.items ?? [])
            .filter((c) => c.active && !c.staffSafety)
            .map((c) => (
              <option key={c.id} value={c.id}>
                {nameOf(c.key, c.name)}
              </option>
            ))}
          <option value={NOT_EVENT}>{t('policeTypes.notEvent')}</option>
        </SelectField>
      ))}
      {nothing && (
        <p className="field-error" role="alert">
          {nothing}
        </p>
      )}
      <ErrorMessage error={form.error} />
      <button type="submit" className="btn btn-primary" disabled={form.submitting}>
        {t('policeTypes.save')}
      </button>
    </form>
  );
}
