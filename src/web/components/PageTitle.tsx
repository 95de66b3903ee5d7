import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** The page's h1 (target of focus after navigation) and the document title. */
export function PageTitle({ children, title }: { children: ReactNode; title: string }) {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${title} – ${t('app.name')}`;
  }, [title, t]);
  return (
    <h1 tabIndex={-1} className="page-title">
      {children}
    </h1>
  );
}
