import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from '../../../components/Link.tsx';
import { notificationsApi } from '../api.ts';

/** The header's entry to Aviseringar with the unread count (issue #11 item 8); the link's name says the count in words. */
export function NotificationBell() {
  const { t } = useTranslation();
  const query = useQuery({ queryKey: ['notifications'], queryFn: () => notificationsApi.list(), staleTime: 60_000 });
  const unread = query.data?.unread ?? 0;
  return (
    <Link to="/aviseringar" className="btn btn-ghost bell-link">
      <span aria-hidden="true">🔔</span>
      <span className="bell-text">{t('notifications.bell')}</span>
      {unread > 0 && (
        <span className="bell-count">
          <span aria-hidden="true">{unread}</span>
          <span className="visually-hidden">{t('notifications.bellUnread', { count: unread })}</span>
        </span>
      )}
    </Link>
  );
}
