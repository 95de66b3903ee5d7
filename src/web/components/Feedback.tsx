import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.ts';

/** An error from the API (or elsewhere) as an alert; a version conflict offers to reload. */
export function ErrorMessage({ error, onReload }: { error: unknown; onReload?: () => void }) {
  const { t } = useTranslation();
  if (!error) return null;
  const api = error instanceof ApiError ? error : undefined;
  const message = api ? api.message : t('common.unexpectedError');
  return (
    <div className="alert alert-error" role="alert">
      <p>{message}</p>
      {api?.code === 'INTERNAL' && api.requestId && <p className="small">{t('common.reference', { id: api.requestId })}</p>}
      {api?.code === 'VERSION_CONFLICT' && onReload && (
        <button type="button" className="btn" onClick={onReload}>
          {t('common.conflictReload')}
        </button>
      )}
    </div>
  );
}

/** A polite announcement (saved, created …). */
export function Notice({ message }: { message: string | null | undefined }) {
  return (
    <div role="status" className={message ? 'alert alert-ok' : 'visually-hidden'}>
      {message ? <p>{message}</p> : null}
    </div>
  );
}

export function Loading() {
  const { t } = useTranslation();
  return (
    <p className="loading" role="status">
      {t('common.loading')}
    </p>
  );
}

export function Empty({ children }: { children: string }) {
  return <p className="empty">{children}</p>;
}

/** Loading / error / content in one place for a query. */
export function QueryState({ isPending, error, refetch }: { isPending: boolean; error: unknown; refetch?: () => void }) {
  const { t } = useTranslation();
  if (isPending) return <Loading />;
  if (error)
    return (
      <div>
        <ErrorMessage error={error} />
        {refetch && (
          <button type="button" className="btn" onClick={refetch}>
            {t('common.retry')}
          </button>
        )}
      </div>
    );
  return null;
}
