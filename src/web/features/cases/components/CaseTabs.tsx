import { useLocation } from '@tanstack/react-router';
import { Link } from '../../../components/Link.tsx';
import { useTranslation } from 'react-i18next';
import { useSubNavOwnsCurrent } from '../../shell/current.ts';

/**
 * The case page's tabs: overview and records, decisions, remiss. Each tab is its own page (URL), so the
 * tabs are a navigation landmark with links, the current one marked with aria-current.
 */
export const CASE_TABS = [
  { key: 'overview', to: '/arenden/$id', suffix: '', label: 'cases.tabs.overview' },
  { key: 'decisions', to: '/arenden/$id/beslut', suffix: '/beslut', label: 'cases.tabs.decisions' },
  { key: 'remiss', to: '/arenden/$id/remiss', suffix: '/remiss', label: 'cases.tabs.remiss' },
] as const;

export function CaseTabs({ caseId, registryNumber }: { caseId: string; registryNumber?: string }) {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const base = `/arenden/${caseId}`;
  // The current tab is the page's one aria-current; the side menu then only highlights Diarium.
  useSubNavOwnsCurrent();
  return (
    <nav className="case-tabs" aria-label={registryNumber ? t('cases.tabs.labelFor', { number: registryNumber }) : t('cases.tabs.label')}>
      <ul>
        {CASE_TABS.map((tab) => {
          const current = pathname.replace(/\/$/, '') === `${base}${tab.suffix}`;
          return (
            <li key={tab.key}>
              <Link to={tab.to} params={{ id: caseId }} current={current} className={current ? 'case-tab case-tab-current' : 'case-tab'}>
                {t(tab.label)}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
