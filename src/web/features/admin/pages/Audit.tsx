import { useState, type FormEvent } from 'react';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { audit as auditApi } from '../api.ts';
import { holds, holdsAtRoot } from '../../auth/api.ts';
import { users as userApi } from '../../users/api.ts';
import { SelectField, TextField } from '../../../components/Field.tsx';
import { Empty, ErrorMessage, QueryState } from '../../../components/Feedback.tsx';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { Pager } from '../../../components/Pager.tsx';
import { formatDateTime } from '../../../format.ts';
import { useMe } from '../../../session.ts';
import { Forbidden } from '../../shell/pages/NotFound.tsx';
import { sv } from '../../../i18n/sv.ts';

const LIMIT = 50;
const ENTITY_TYPES = Object.keys(sv.auditEntity);
const ACTIONS = Object.keys(sv.auditAction);

interface Filter {
  entityType: string;
  action: string;
  actorId: string;
  from: string;
  to: string;
}
const EMPTY: Filter = { entityType: '', action: '', actorId: '', from: '', to: '' };

export function AuditPage() {
  const { t } = useTranslation();
  const me = useMe();
  const allowed = holdsAtRoot(me, 'audit.read');
  const [draft, setDraft] = useState<Filter>(EMPTY);
  const [filter, setFilter] = useState<Filter>(EMPTY);
  const [offset, setOffset] = useState(0);
  const query = useQuery({
    queryKey: ['audit', filter, offset],
    queryFn: () =>
      auditApi.list({
        entityType: filter.entityType || undefined,
        action: filter.action || undefined,
        actorId: filter.actorId || undefined,
        from: filter.from || undefined,
        to: filter.to || undefined,
        limit: LIMIT,
        offset,
      }),
    placeholderData: keepPreviousData,
    enabled: allowed,
  });
  const people = useQuery({
    queryKey: ['users', 'all-for-filter'],
    queryFn: () => userApi.list({ includeInactive: true, limit: 500, offset: 0 }),
    enabled: allowed && holds(me, 'users.read'),
  });
  const verify = useMutation({ mutationFn: auditApi.verify });

  if (!allowed) return <Forbidden />;

  const set = (k: keyof Filter) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [k]: e.target.value }));
  const apply = (e: FormEvent) => {
    e.preventDefault();
    setFilter(draft);
    setOffset(0);
  };
  const label = (group: 'auditEntity' | 'auditAction', v: string) => t(`${group}.${v}`, { defaultValue: v });
  const dateError = draft.from && draft.to && draft.from > draft.to ? t('common.fixErrors') : undefined;

  return (
    <>
      <PageTitle title={t('audit.title')}>{t('audit.title')}</PageTitle>
      <p className="lead">{t('audit.intro')}</p>

      <section className="card" aria-labelledby="verify-h">
        <h2 id="verify-h" className="visually-hidden">
          {t('audit.verify')}
        </h2>
        <button type="button" className="btn" onClick={() => verify.mutate()} disabled={verify.isPending}>
          {verify.isPending ? t('audit.verifying') : t('audit.verify')}
        </button>
        <div role="status" className="verify-result">
          {verify.data &&
            (verify.data.ok ? (
              <p className="alert alert-ok">{t('audit.verifyOk', { checked: verify.data.checked })}</p>
            ) : (
              <p className="alert alert-error">
                {t('audit.verifyBad', {
                  id: verify.data.firstBad?.id,
                  problem: t(`audit.problem_${verify.data.firstBad?.problem ?? 'edited'}`),
                  checked: verify.data.checked,
                })}
              </p>
            ))}
        </div>
        <ErrorMessage error={verify.error} />
      </section>

      <form className="filters" onSubmit={apply} aria-label={t('common.filter')} noValidate>
        <SelectField label={t('audit.entityType')} value={draft.entityType} onChange={set('entityType')}>
          <option value="">{t('audit.any')}</option>
          {ENTITY_TYPES.map((v) => (
            <option key={v} value={v}>
              {label('auditEntity', v)}
            </option>
          ))}
        </SelectField>
        <SelectField label={t('audit.action')} value={draft.action} onChange={set('action')}>
          <option value="">{t('audit.any')}</option>
          {ACTIONS.map((v) => (
            <option key={v} value={v}>
              {label('auditAction', v)}
            </option>
          ))}
        </SelectField>
        {people.data && (
          <SelectField label={t('audit.actor')} value={draft.actorId} onChange={set('actorId')}>
            <option value="">{t('audit.anyActor')}</option>
            {people.data.items.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </SelectField>
        )}
        <TextField label={t('audit.from')} type="date" value={draft.from} onChange={set('from')} />
        <TextField label={t('audit.to')} type="date" value={draft.to} onChange={set('to')} error={dateError} />
        <div className="button-row filters-buttons">
          <button type="submit" className="btn btn-primary" disabled={!!dateError}>
            {t('common.filter')}
          </button>
          <button
            type="button"
            className="btn"
            onClick={() => {
              setDraft(EMPTY);
              setFilter(EMPTY);
              setOffset(0);
            }}
          >
            {t('common.clearFilter')}
          </button>
        </div>
      </form>

      <QueryState isPending={query.isPending} error={query.error} refetch={() => void query.refetch()} />
      {query.data &&
        (query.data.items.length === 0 ? (
          <Empty>{t('audit.empty')}</Empty>
        ) : (
          <>
            <div className="table-wrap" tabIndex={0} role="region" aria-label={t('audit.title')}>
              <table className="table">
                <caption className="visually-hidden">{t('audit.title')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('audit.at')}</th>
                    <th scope="col">{t('audit.actor')}</th>
                    <th scope="col">{t('audit.entityType')}</th>
                    <th scope="col">{t('audit.action')}</th>
                    <th scope="col">{t('audit.details')}</th>
                  </tr>
                </thead>
                <tbody>
                  {query.data.items.map((e) => (
                    <tr key={e.id}>
                      <td className="nowrap">{formatDateTime(e.at)}</td>
                      <td>{e.actorName ?? t('audit.system')}</td>
                      <td>{label('auditEntity', e.entityType)}</td>
                      <td>{label('auditAction', e.action)}</td>
                      <td>
                        <details>
                          <summary>
                            {t('audit.showDetails')} <span className="visually-hidden">#{e.id}</span>
                          </summary>
                          <dl className="dl small">
                            <dt>{t('audit.entity')}</dt>
                            <dd className="mono">{e.entityId}</dd>
                            {e.requestId && (
                              <>
                                <dt>{t('audit.requestId')}</dt>
                                <dd className="mono">{e.requestId}</dd>
                              </>
                            )}
                            {e.ip && (
                              <>
                                <dt>{t('audit.ip')}</dt>
                                <dd className="mono">{e.ip}</dd>
                              </>
                            )}
                          </dl>
                          {e.before != null && (
                            <>
                              <h3 className="small">{t('audit.before')}</h3>
                              <pre className="json">{JSON.stringify(e.before, null, 2)}</pre>
                            </>
                          )}
                          {e.after != null && (
                            <>
                              <h3 className="small">{t('audit.after')}</h3>
                              <pre className="json">{JSON.stringify(e.after, null, 2)}</pre>
                            </>
                          )}
                        </details>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager total={query.data.total} limit={LIMIT} offset={offset} onChange={setOffset} />
          </>
        ))}
    </>
  );
}
