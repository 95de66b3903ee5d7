import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { Empty, ErrorMessage, Notice, QueryState } from '../../../components/Feedback.tsx';
import { formatDateTime } from '../../../format.ts';
import { notificationsApi, type Notification } from '../api.ts';
import { NotificationLink } from '../components/NotificationLink.tsx';

export const NOTIFICATIONS_KEY = ['notifications'] as const;

/**
 * Aviseringar (issue #11 item 8): what needs the person — assignments, deadlines, returned reports,
 * reminders, what is overdue — each read or unread, only what the access core lets them see.
 */
export function NotificationsPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const query = useQuery({ queryKey: NOTIFICATIONS_KEY, queryFn: () => notificationsApi.list() });
  const [notice, setNotice] = useState<string | null>(null);
  const refresh = () => qc.invalidateQueries({ queryKey: NOTIFICATIONS_KEY });
  const markOne = useMutation({ mutationFn: (id: string) => notificationsApi.markRead(id), onSuccess: () => (setNotice(null), refresh()) });
  const markAll = useMutation({ mutationFn: () => notificationsApi.markAllRead(), onSuccess: () => (setNotice(t('notifications.allRead')), refresh()) });
  const list = query.data;
  return (
    <>
      <PageTitle title={t('notifications.title')}>{t('notifications.title')}</PageTitle>
      <p className="lead">{t('notifications.intro')}</p>
      <QueryState isPending={query.isPending} error={query.error} refetch={() => void query.refetch()} />
      {list && (
        <section className="card" aria-labelledby="notif-h">
          <div className="notification-head">
            <h2 id="notif-h">{t('notifications.unread', { count: list.unread })}</h2>
            {list.unread > 0 && (
              <button type="button" className="btn" onClick={() => markAll.mutate()} disabled={markAll.isPending}>
                {t('notifications.markAllRead')}
              </button>
            )}
          </div>
          <Notice message={notice} />
          <ErrorMessage error={markOne.error ?? markAll.error} />
          {list.items.length === 0 ? (
            <Empty>{t('notifications.empty')}</Empty>
          ) : (
            <ul className="plain-list notification-list">
              {list.items.map((n) => (
                <NotificationItem key={n.id} n={n} onRead={() => markOne.mutate(n.id)} pending={markOne.isPending} />
              ))}
            </ul>
          )}
        </section>
      )}
    </>
  );
}

function NotificationItem({ n, onRead, pending }: { n: Notification; onRead: () => void; pending: boolean }) {
  const { t } = useTranslation();
  return (
    <li className={n.read ? 'notification' : 'notification unread'}>
      <p>
        <span className={n.kind === 'overdue' ? 'badge badge-danger' : 'badge'}>{t(`notifications.kind.${n.kind}`)}</span>{' '}
        {!n.read && <strong>{t('notifications.new')}: </strong>}
        <NotificationLink n={n} />
      </p>
      <p className="muted small">
        {[n.detail, n.dueOn ? t('notifications.due', { date: n.dueOn }) : null, n.at ? t('notifications.at', { date: formatDateTime(n.at) }) : null].filter(Boolean).join(' · ')}
      </p>
      {n.read ? (
        <p className="muted small">{t('notifications.read')}</p>
      ) : (
        <button type="button" className="btn btn-small" onClick={onRead} disabled={pending}>
          {t('notifications.markRead')}
          <span className="visually-hidden">: {n.title}</span>
        </button>
      )}
    </li>
  );
}
