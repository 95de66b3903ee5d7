import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client.ts';
import { Link } from '../../../components/Link.tsx';
import { ErrorMessage, Notice, QueryState } from '../../../components/Feedback.tsx';
import { CheckboxGroup } from '../../../components/Field.tsx';
import { actionFindings, findingOptions } from '../../../../shared/schemas/lagesbild.ts';

/** The action plan answers the lägesbild (Lag 2023:196): the findings an action of a crime-prevention plan answers, and linking them. */
const findingsApi = {
  of: (id: string) => api.get(`/api/actions/${id}/findings`, actionFindings),
  set: (id: string, findingIds: string[]) => api.put(`/api/actions/${id}/findings`, actionFindings, { findingIds }),
  options: () => api.get('/api/lagesbild/findings', findingOptions),
};

export function ActionFindings({ actionId, mayManage }: { actionId: string; mayManage: boolean }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ['action', actionId, 'findings'], queryFn: () => findingsApi.of(actionId) });
  const [editing, setEditing] = useState<string[] | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const options = useQuery({ queryKey: ['lagesbild-findings'], queryFn: () => findingsApi.options(), enabled: editing !== null });
  const save = useMutation({
    mutationFn: () => findingsApi.set(actionId, editing ?? []),
    onSuccess: async (next) => {
      qc.setQueryData(['action', actionId, 'findings'], next);
      setEditing(null);
      setNotice(t('actionFindings.saved'));
      await qc.invalidateQueries({ queryKey: ['lagesbild-report'] });
    },
  });
  if (q.data && !q.data.applies) return null;
  const label = (f: { reportTitle: string; ordinal: number; text: string }) => t('actionFindings.finding', { report: f.reportTitle, n: f.ordinal, text: f.text });
  return (
    <section className="card" aria-labelledby="action-findings-h">
      <h2 id="action-findings-h">{t('actionFindings.heading')}</h2>
      <p className="small muted">{t('actionFindings.help')}</p>
      <QueryState isPending={q.isPending} error={q.error} refetch={() => void q.refetch()} />
      <Notice message={notice} />
      {q.data && editing === null && (
        <>
          {q.data.items.length === 0 ? (
            <p className="muted">{t('actionFindings.none')}</p>
          ) : (
            <ul>
              {q.data.items.map((f) => (
                <li key={f.id}>
                  <Link to="/lagesbild/rapporter/$id" params={{ id: f.reportId }}>
                    {label(f)}
                  </Link>
                </li>
              ))}
            </ul>
          )}
          {mayManage && (
            <button
              type="button"
              className="btn"
              onClick={() => {
                setNotice(null);
                setEditing(q.data.items.map((f) => f.id));
              }}
            >
              {t('actionFindings.edit')}
            </button>
          )}
        </>
      )}
      {editing !== null && (
        <form
          noValidate
          aria-label={t('actionFindings.heading')}
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate();
          }}
        >
          <QueryState isPending={options.isPending} error={options.error} />
          {options.data && options.data.items.length === 0 && <p className="muted">{t('actionFindings.noOptions')}</p>}
          {options.data && options.data.items.length > 0 && (
            <CheckboxGroup legend={t('actionFindings.choose')} options={options.data.items.map((f) => ({ value: f.id, label: label(f) }))} value={editing} onChange={setEditing} scroll />
          )}
          <ErrorMessage error={save.error} />
          <div className="button-row">
            <button type="submit" className="btn btn-primary" disabled={save.isPending}>
              {t('actionFindings.save')}
            </button>
            <button type="button" className="btn" onClick={() => setEditing(null)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
