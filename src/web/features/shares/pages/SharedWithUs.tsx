import { lazy, Suspense } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { Link } from '../../../components/Link.tsx';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client.ts';
import { Empty, QueryState } from '../../../components/Feedback.tsx';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { formatDateTime } from '../../../format.ts';
import { useMe } from '../../../session.ts';
import { holds } from '../../auth/api.ts';
import { Forbidden } from '../../shell/pages/NotFound.tsx';
import { sharesApi } from '../api.ts';
import { CommentForm, CommentList } from '../components/Shares.tsx';

/** Leaflet and the basemap only when a shared record has points to draw (a map extract). */
const SharedPointsMap = lazy(() => import('../components/SharedPointsMap.tsx'));

/** /delat — "Delat med oss": what the municipality shares with the partner's organisation right now. */
export function SharedWithUsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const allowed = holds(me, 'shares.view');
  const query = useQuery({ queryKey: ['shared'], queryFn: () => sharesApi.sharedWithUs(), enabled: allowed });
  if (!allowed) return <Forbidden />;
  return (
    <>
      <PageTitle title={t('shares.withUsTitle')}>{t('shares.withUsTitle')}</PageTitle>
      <p className="lead">{t('shares.withUsIntro')}</p>
      <QueryState isPending={query.isPending} error={query.error} refetch={() => void query.refetch()} />
      {query.data &&
        (query.data.items.length === 0 ? (
          <Empty>{t('shares.withUsEmpty')}</Empty>
        ) : (
          <ul className="plain-list">
            {query.data.items.map((s) => (
              <li key={s.id} className="card">
                <p className="small">{t(`shares.recordType.${s.recordType}`)}</p>
                <h2>
                  <Link to="/delat/$id" params={{ id: s.id }}>
                    {s.title}
                  </Link>
                </h2>
                <p>{t('shares.endsOnShort', { date: s.endsOn })}</p>
                <p className="small">{t('shares.sharedReason', { reason: s.reason })}</p>
                <p className="small">
                  {t('shares.sharedBy')}: {s.sharedBy}
                </p>
              </li>
            ))}
          </ul>
        ))}
    </>
  );
}

/** /delat/:id — one shared record as the partner sees it; an ended or revoked share shows why, not a broken page. */
export function SharedRecordPage() {
  const { t } = useTranslation();
  const { id } = useParams({ from: '/app/delat/$id' });
  const me = useMe();
  const qc = useQueryClient();
  const allowed = holds(me, 'shares.view');
  const query = useQuery({ queryKey: ['shared', id], queryFn: () => sharesApi.shared(id), enabled: allowed, retry: false });
  if (!allowed) return <Forbidden />;
  const ended = query.error instanceof ApiError && (query.error.status === 410 || query.error.code === 'SHARE_ENDED');
  if (ended)
    return (
      <>
        <PageTitle title={t('shares.ended')}>{t('shares.ended')}</PageTitle>
        <div className="alert alert-warn" role="alert">
          <p>{(query.error as ApiError).message}</p>
        </div>
        <p>
          <Link to="/delat">{t('shares.back')}</Link>
        </p>
      </>
    );
  const d = query.data;
  const send = async (text: string) => {
    const res = await sharesApi.commentShared(id, text);
    qc.setQueryData(['shared', id], d ? { ...d, comments: res.items } : d);
  };
  return (
    <>
      <p className="breadcrumb">
        <Link to="/delat">{t('shares.withUsTitle')}</Link>
      </p>
      {!d && <QueryState isPending={query.isPending} error={query.error} refetch={() => void query.refetch()} />}
      {d && (
        <>
          <PageTitle title={d.title}>{d.title}</PageTitle>
          <p className="small">{t(`shares.recordType.${d.share.recordType}`)}</p>
          <dl className="facts">
            <dt>{t('shares.endsOn')}</dt>
            <dd>{d.share.endsOn}</dd>
            <dt>{t('shares.reason')}</dt>
            <dd className="prewrap">{d.share.reason}</dd>
            <dt>{t('shares.sharedBy')}</dt>
            <dd>
              {d.share.sharedBy}, {formatDateTime(d.share.sharedAt)}
            </dd>
            {d.fields.map((f) => (
              <FieldRow key={f.key} label={t(`shares.field.${f.key}`, { defaultValue: f.key })} value={f.value} />
            ))}
          </dl>
          {d.sections.map((s, i) => (
            <section key={i} className="card">
              <h2>{t(`shares.heading.${s.heading}`, { defaultValue: s.heading })}</h2>
              <p className="prewrap">{s.text}</p>
            </section>
          ))}
          {d.points && d.points.length > 0 && (
            <section className="card" aria-labelledby="shared-map-h">
              <h2 id="shared-map-h">{t('shares.mapTitle')}</h2>
              <Suspense fallback={<p className="muted">{t('shares.mapLoading')}</p>}>
                <SharedPointsMap points={d.points} listId="shared-items" />
              </Suspense>
            </section>
          )}
          {d.items.length > 0 && (
            <section className="card" aria-labelledby="shared-items-h">
              <h2 id="shared-items-h">{t('shares.items')}</h2>
              <ul className="plain-list">
                {d.items.map((it, i) => (
                  <li key={i}>
                    <strong>{it.title}</strong>
                    {it.detail && <span className="block small">{it.detail}</span>}
                  </li>
                ))}
              </ul>
            </section>
          )}
          <section className="card">
            <h2>{t('shares.comments')}</h2>
            <CommentList items={d.comments} />
            <CommentForm onSend={send} />
          </section>
        </>
      )}
    </>
  );
}

function FieldRow({ label, value }: { label: string; value: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </>
  );
}
