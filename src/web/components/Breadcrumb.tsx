import type { ReactNode } from 'react';
import { Link } from './Link.tsx';
import { useTranslation } from 'react-i18next';

export interface Crumb {
  label: ReactNode;
  /** A path; the last crumb (the page itself) has none. */
  to?: string;
  params?: Record<string, string>;
}

/**
 * Where a detail page sits (issue #13 item 5): "Diarium › KS 2018/0316". The page itself is the last crumb,
 * as text; the side menu carries the one aria-current.
 */
export function Breadcrumb({ items }: { items: Crumb[] }) {
  const { t } = useTranslation();
  return (
    <nav aria-label={t('shell.breadcrumb')} className="breadcrumbs">
      <ol>
        {items.map((c, i) => (
          <li key={i}>
            {c.to ? (
              <Link to={c.to} params={c.params as never}>
                {c.label}
              </Link>
            ) : (
              <span>{c.label}</span>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}
