import { Link } from './Link.tsx';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { holds } from '../features/auth/api.ts';
import { incidentsApi } from '../features/incidents/api.ts';
import { useMe } from '../session.ts';
import { formatDateTime } from '../format.ts';
import { Empty, QueryState } from './Feedback.tsx';

/**
 * The incidents linked to an action or a case that the reader may see: the server filters by incident
 * visibility (restricted ones included), so the list is safe to show as it comes.
 */
export function LinkedIncidents({ filter, heading, empty }: { filter: { actionId: string } | { caseId: string }; heading: string; empty: string }) {
  const { t } = useTranslation();
  const allowed = holds(useMe(), 'incidents.report');
  const q = { ...filter, limit: 100 };
  const list = useQuery({ queryKey: ['incidents', q], queryFn: () => incidentsApi.list(q), enabled: allowed });
  if (!allowed) return null;
  const headingId = `linked-incidents-${'actionId' in filter ? filter.actionId : filter.caseId}`;
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{heading}</h2>
      <QueryState isPending={list.isPending} error={list.error} refetch={() => void list.refetch()} />
      {list.data &&
        (list.data.items.length === 0 ? (
          <Empty>{empty}</Empty>
        ) : (
          <ul className="plain-list">
            {list.data.items.map((i) => (
              <li key={i.id}>
                <Link to="/handelser/$id" params={{ id: i.id }}>
                  {i.categoryName}
                </Link>{' '}
                <span className="small">
                  {formatDateTime(i.occurredAt)} · {i.place ?? i.premises ?? i.organisationName} · {t(`incidentStatus.${i.status}`)}
                </span>
              </li>
            ))}
          </ul>
        ))}
    </section>
  );
}
