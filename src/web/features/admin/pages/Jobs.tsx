import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { admin } from '../api.ts';
import { holdsAtRoot } from '../../auth/api.ts';
import { SelectField } from '../../../components/Field.tsx';
import { Empty, QueryState } from '../../../components/Feedback.tsx';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { Pager } from '../../../components/Pager.tsx';
import { formatDateTime } from '../../../format.ts';
import { useMe } from '../../../session.ts';
import { Forbidden } from '../../shell/pages/NotFound.tsx';

const LIMIT = 25;
const STATUSES = ['pending', 'running', 'done', 'failed'] as const;

export function JobsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const allowed = holdsAtRoot(me, 'jobs.read');
  const [status, setStatus] = useState('');
  const [offset, setOffset] = useState(0);
  const query = useQuery({
    queryKey: ['jobs', status, offset],
    queryFn: () => admin.jobs({ status: status || undefined, limit: LIMIT, offset }),
    placeholderData: keepPreviousData,
    enabled: allowed,
  });
  if (!allowed) return <Forbidden />;
  return (
    <>
      <PageTitle title={t('jobs.title')}>{t('jobs.title')}</PageTitle>
      <p className="lead">{t('jobs.intro')}</p>
      <div className="toolbar">
        <SelectField
          label={t('common.status')}
          value={status}
          onChange={(e) => {
            setStatus(e.target.value);
            setOffset(0);
          }}
        >
          <option value="">{t('jobs.anyStatus')}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`jobs.status_${s}`)}
            </option>
          ))}
        </SelectField>
      </div>
      <QueryState isPending={query.isPending} error={query.error} refetch={() => void query.refetch()} />
      {query.data &&
        (query.data.items.length === 0 ? (
          <Empty>{t('jobs.empty')}</Empty>
        ) : (
          <>
            <div className="table-wrap" tabIndex={0} role="region" aria-label={t('jobs.title')}>
              <table className="table">
                <caption className="visually-hidden">{t('jobs.title')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('jobs.type')}</th>
                    <th scope="col">{t('common.status')}</th>
                    <th scope="col">{t('jobs.attempts')}</th>
                    <th scope="col">{t('jobs.runAt')}</th>
                    <th scope="col">{t('jobs.finishedAt')}</th>
                    <th scope="col">{t('jobs.lastError')}</th>
                  </tr>
                </thead>
                <tbody>
                  {query.data.items.map((j) => (
                    <tr key={j.id}>
                      <td>
                        {/* The job's name in words; the technical key beside it for the operator (issue #13 item 9). */}
                        {t(`jobType.${j.type.replace(/\./g, '_')}`, { defaultValue: j.type })}
                        <span className="block small muted mono">{j.type}</span>
                      </td>
                      <td>
                        {t(`jobs.status_${j.status}`)}
                        {j.progress !== null && j.status === 'running' && <span className="block small">{j.progress} %</span>}
                      </td>
                      <td>
                        {j.attempts} / {j.maxAttempts}
                      </td>
                      <td className="nowrap">{formatDateTime(j.runAt)}</td>
                      <td className="nowrap">{formatDateTime(j.finishedAt)}</td>
                      <td className="small">{j.lastError ?? t('common.none')}</td>
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
