import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Empty, Notice, QueryState } from '../../../components/Feedback.tsx';
import { SelectField } from '../../../components/Field.tsx';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { useOrgs } from '../../../orgs.ts';
import { useMe } from '../../../session.ts';
import { holds } from '../../auth/api.ts';
import { Forbidden } from '../../shell/pages/NotFound.tsx';
import { sharesApi } from '../api.ts';
import { ShareTable } from '../components/Shares.tsx';

const STATUSES = ['active', 'ended', 'revoked'] as const;

/** /delningar — the coordinator's overview of every share, per partner and status. */
export function SharesOverviewPage() {
  const { t } = useTranslation();
  const me = useMe();
  const allowed = holds(me, 'shares.manage');
  const orgs = useOrgs();
  const partners = orgs.ordered.filter((o) => o.org.type === 'partner');
  const [partner, setPartner] = useState('');
  const [status, setStatus] = useState<'' | (typeof STATUSES)[number]>('');
  const [notice, setNotice] = useState<string | null>(null);
  const query = useQuery({
    queryKey: ['shares', { partner, status }],
    queryFn: () => sharesApi.list({ partnerOrganisationId: partner || undefined, status: status || undefined }),
    enabled: allowed,
  });
  if (!allowed) return <Forbidden />;
  return (
    <>
      <PageTitle title={t('shares.overviewTitle')}>{t('shares.overviewTitle')}</PageTitle>
      <p className="lead">{t('shares.overviewIntro')}</p>
      <div className="filters">
        <SelectField label={t('shares.partner')} value={partner} onChange={(e) => setPartner(e.target.value)}>
          <option value="">{t('shares.allPartners')}</option>
          {partners.map((o) => (
            <option key={o.org.id} value={o.org.id}>
              {o.org.name}
            </option>
          ))}
        </SelectField>
        <SelectField label={t('shares.status')} value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
          <option value="">{t('shares.allStatuses')}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`shares.statusValue.${s}`)}
            </option>
          ))}
        </SelectField>
      </div>
      <Notice message={notice} />
      <QueryState isPending={query.isPending} error={query.error} refetch={() => void query.refetch()} />
      {query.data && (query.data.items.length === 0 ? <Empty>{t('shares.empty')}</Empty> : <ShareTable items={query.data.items} showRecord onDone={setNotice} />)}
    </>
  );
}
