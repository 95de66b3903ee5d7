import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from '../../../components/Link.tsx';
import { notificationsApi } from '../api.ts';

/** The header's entry to Aviseringar with the unread count (issue #11 item 8); the name says the count too. */
export function NotificationBell() {
  const { t } = useTranslation();
  const query = useQuery({ queryKey: ['notifications'], queryFn: () => notificationsApi.list(), staleTime: 60_000 });
  const unread = query.data?.unread ?? 0;
  return (
    <Link to="/aviseringar" className="btn btn-ghost bell-link" aria-label={unread ? t('notifications.bellUnread', { count: unread }) : t('notifications.bell')}>
      <span aria-hidden="true">🔔</span>
      <span className="bell-text">{t('notifications.bell')}</span>
      {unread > 0 && (
        <span className="bell-count" aria-hidden="true">
          {unread}
        </span>
      )}
    </Link>
  );
}
