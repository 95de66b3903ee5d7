import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { admin } from '../api.ts';
import { holdsAtRoot } from '../../auth/api.ts';
import { Empty, QueryState } from '../../../components/Feedback.tsx';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { Pager } from '../../../components/Pager.tsx';
import { formatDateTime } from '../../../format.ts';
import { useMe } from '../../../session.ts';
import { Forbidden } from '../../shell/pages/NotFound.tsx';

const LIMIT = 25;

export function OutboxPage() {
  const { t } = useTranslation();
  const me = useMe();
  const allowed = holdsAtRoot(me, 'mail.read');
  const [offset, setOffset] = useState(0);
  const query = useQuery({
    queryKey: ['outbox', offset],
    queryFn: () => admin.outbox({ limit: LIMIT, offset }),
    placeholderData: keepPreviousData,
    enabled: allowed,
  });
  if (!allowed) return <Forbidden />;
  return (
    <>
      <PageTitle title={t('outbox.title')}>{t('outbox.title')}</PageTitle>
      <p className="lead">{t('outbox.intro')}</p>
      <QueryState isPending={query.isPending} error={query.error} refetch={() => void query.refetch()} />
      {query.data && (
        <>
          <p className={query.data.smtpConfigured ? 'alert alert-ok' : 'alert alert-warn'}>
            {query.data.smtpConfigured ? t('outbox.smtpOn') : t('outbox.smtpOff')}
          </p>
          {query.data.items.length === 0 ? (
            <Empty>{t('outbox.empty')}</Empty>
          ) : (
            <>
              <div className="table-wrap" tabIndex={0} role="region" aria-label={t('outbox.title')}>
                <table className="table">
                  <caption className="visually-hidden">{t('outbox.title')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('outbox.createdAt')}</th>
                      <th scope="col">{t('outbox.to')}</th>
                      <th scope="col">{t('outbox.subject')}</th>
                      <th scope="col">{t('common.status')}</th>
                      <th scope="col">{t('outbox.sentAt')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {query.data.items.map((m) => (
                      <tr key={m.id}>
                        <td className="nowrap">{formatDateTime(m.createdAt)}</td>
                        <td>{m.to}</td>
                        <td>
                          <details>
                            <summary>{m.subject}</summary>
                            <pre className="mail-text">{m.text}</pre>
                          </details>
                        </td>
                        <td>
                          {t(`outbox.status_${m.status}`)}
                          {m.error && <span className="block small error-text">{m.error}</span>}
                        </td>
                        <td className="nowrap">{formatDateTime(m.sentAt)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <Pager total={query.data.total} limit={LIMIT} offset={offset} onChange={setOffset} />
            </>
          )}
        </>
      )}
    </>
  );
}
