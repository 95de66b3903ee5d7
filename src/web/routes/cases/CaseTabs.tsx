import { Link, useLocation } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';

/**
 * The case page's tabs: overview and records, decisions, remiss. Each tab is its own page (URL), so the
 * tabs are a navigation landmark with links, the current one marked with aria-current.
 */
export const CASE_TABS = [
  { key: 'overview', suffix: '', label: 'cases.tabs.overview' },
  { key: 'decisions', suffix: '/beslut', label: 'cases.tabs.decisions' },
  { key: 'remiss', suffix: '/remiss', label: 'cases.tabs.remiss' },
] as const;

export function CaseTabs({ caseId, registryNumber }: { caseId: string; registryNumber?: string }) {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const base = `/arenden/${caseId}`;
  return (
    <nav className="case-tabs" aria-label={registryNumber ? t('cases.tabs.labelFor', { number: registryNumber }) : t('cases.tabs.label')}>
      <ul>
        {CASE_TABS.map((tab) => {
          const href = `${base}${tab.suffix}`;
          const current = pathname.replace(/\/$/, '') === href;
          return (
            <li key={tab.key}>
              {/* The decisions and remiss pages are registered by their own parts; the path is typed loosely until then. */}
              <Link to={href as '/'} aria-current={current ? 'page' : undefined} className={current ? 'case-tab case-tab-current' : 'case-tab'}>
                {t(tab.label)}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
