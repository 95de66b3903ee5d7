import { Link } from '../../../components/Link.tsx';
import { useTranslation } from 'react-i18next';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { ErrorMessage } from '../../../components/Feedback.tsx';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageTitle title={t('notFound.title')}>{t('notFound.title')}</PageTitle>
      <p>{t('notFound.text')}</p>
      <p>
        <Link to="/">{t('notFound.home')}</Link>
      </p>
    </>
  );
}

export function Forbidden() {
  const { t } = useTranslation();
  return (
    <>
      <PageTitle title={t('forbidden.title')}>{t('forbidden.title')}</PageTitle>
      <p>{t('forbidden.text')}</p>
      <p>
        <Link to="/">{t('notFound.home')}</Link>
      </p>
    </>
  );
}

/** A page that failed to load (server unreachable, unexpected answer). */
export function RouteError({ error, reset }: { error: unknown; reset?: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="narrow">
      <PageTitle title={t('common.errorTitle')}>{t('common.errorTitle')}</PageTitle>
      <ErrorMessage error={error} />
      <p>
        <button type="button" className="btn" onClick={() => (reset ? reset() : window.location.reload())}>
          {t('common.retry')}
        </button>
      </p>
    </div>
  );
}

/** Shown while a page's code is fetched (each page is its own chunk). */
export function PageLoading() {
  const { t } = useTranslation();
  return (
    <p role="status" className="muted">
      {t('common.loadingPage')}
    </p>
  );
}
