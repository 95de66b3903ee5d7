import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { exportsApi, type ExportStatus } from '../api/exports.ts';
import { ErrorMessage } from './Feedback.tsx';

type Format = 'docx' | 'pdf' | 'xlsx' | 'csv';

function formatSize(bytes: number | null, lang: string) {
  if (bytes === null) return '';
  const f = new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'sv-SE', { maximumFractionDigits: 1 });
  return bytes >= 1024 * 1024 ? `${f.format(bytes / 1024 / 1024)} MB` : `${f.format(Math.max(1, bytes / 1024))} kB`;
}

/** One export: asks the server for the file, shows the job's progress, then a download link. */
function ExportJob({ kind, params, format, what }: { kind: string; params: Record<string, unknown>; format: Format; what: string }) {
  const { t, i18n } = useTranslation();
  const [status, setStatus] = useState<ExportStatus | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const label = format.toUpperCase();

  useEffect(() => {
    if (!status || status.status === 'done' || status.status === 'failed') return;
    const timer = setTimeout(async () => {
      try {
        setStatus(await exportsApi.status(status.id));
      } catch (err) {
        setError(err);
      }
    }, 400);
    return () => clearTimeout(timer);
  }, [status]);

  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      setStatus(await exportsApi.request({ kind, format, params }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const running = !!status && (status.status === 'pending' || status.status === 'running');
  return (
    <li className="export-job">
      <button type="button" className="btn" onClick={() => void start()} disabled={busy || running}>
        {t('exports.create', { format: label })}
      </button>
      <div role="status" className="export-status">
        {status?.status === 'pending' && <span>{t('exports.pending')}</span>}
        {status?.status === 'running' && (
          <span className="progress">
            <progress max={100} value={status.progress} aria-label={t('exports.progress', { format: label })} />
            <span>{t('exports.running', { progress: status.progress })}</span>
          </span>
        )}
        {status?.status === 'done' && status.filename && (
          <span>
            {t('exports.done', { filename: status.filename, size: formatSize(status.size, i18n.language) })}{' '}
            <a href={exportsApi.fileUrl(status.id)} download={status.filename}>
              {t('exports.download', { filename: status.filename })}
            </a>
          </span>
        )}
        {status?.status === 'failed' && <span className="error-text">{t('exports.failed')}</span>}
      </div>
      <ErrorMessage error={error} />
    </li>
  );
}

export function ExportPanel({ kind, params, formats, what }: { kind: string; params: Record<string, unknown>; formats: Format[]; what: string }) {
  return (
    <ul className="plain-list export-list">
      {formats.map((f) => (
        <ExportJob key={f} kind={kind} params={params} format={f} what={what} />
      ))}
    </ul>
  );
}
