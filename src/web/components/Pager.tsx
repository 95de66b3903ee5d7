import { useTranslation } from 'react-i18next';
import { MAX_LIST_OFFSET } from '../../shared/limits.ts';

export function Pager({ total, limit, offset, onChange }: { total: number; limit: number; offset: number; onChange: (offset: number) => void }) {
  const { t } = useTranslation();
  if (total === 0) return null;
  const from = offset + 1;
  const to = Math.min(offset + limit, total);
  return (
    <nav className="pager" aria-label={t('common.paging')}>
      <p aria-live="polite">{t('common.pageInfo', { from, to, total })}</p>
      <div className="button-row">
        <button type="button" className="btn" disabled={offset === 0} onClick={() => onChange(Math.max(0, offset - limit))}>
          {t('common.previous')}
        </button>
        <button type="button" className="btn" disabled={to >= total || offset + limit > MAX_LIST_OFFSET} onClick={() => onChange(offset + limit)}>
          {t('common.next')}
        </button>
      </div>
    </nav>
  );
}
