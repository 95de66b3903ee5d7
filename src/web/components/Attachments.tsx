import { useId, useRef, useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { followUp, type ReportT } from '../features/program/api.ts';
import { ConfirmDialog } from './Dialogs.tsx';
import { ErrorMessage } from './Feedback.tsx';

type Attachment = ReportT['attachments'][number];

/** Size in Swedish or English notation: 512 kB, 1,4 MB. */
function useSize() {
  const { i18n } = useTranslation();
  const nf = new Intl.NumberFormat(i18n.language === 'en' ? 'en-GB' : 'sv-SE', { maximumFractionDigits: 1 });
  return (bytes: number) => (bytes < 1024 * 1024 ? `${nf.format(Math.max(1, Math.round(bytes / 1024)))} kB` : `${nf.format(bytes / 1024 / 1024)} MB`);
}

/** A report's attached files: download links for whoever sees the report; add and remove while it can be edited. */
export function Attachments({ report, editable, onChange }: { report: ReportT; editable: boolean; onChange?: (attachments: Attachment[]) => void }) {
  const { t } = useTranslation();
  const size = useSize();
  const inputId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [removing, setRemoving] = useState<Attachment | null>(null);
  const add = useMutation({
    mutationFn: (f: File) => followUp.attach(report.id, f),
    onSuccess: (fresh) => {
      onChange?.(fresh.attachments);
      setFile(null);
      if (input.current) input.current.value = '';
    },
  });
  const remove = useMutation({
    mutationFn: (a: Attachment) => followUp.detach(report.id, a.id),
    onSuccess: (fresh) => {
      onChange?.(fresh.attachments);
      setRemoving(null);
    },
  });
  if (!editable && report.attachments.length === 0) return null;
  return (
    <section className="attachments" aria-label={t('attachments.title', { title: report.actionTitle })}>
      <h4 className="small strong">{t('attachments.heading')}</h4>
      {report.attachments.length === 0 ? (
        <p className="muted small">{t('attachments.none')}</p>
      ) : (
        <ul className="attachment-list">
          {report.attachments.map((a) => (
            <li key={a.id}>
              {a.hidden ? (
                <span className="muted">{t('attachments.hidden', { ref: a.secrecyRef ?? '' })}</span>
              ) : (
                <>
                  <a href={followUp.attachmentUrl(report.id, a.id)} download={a.filename}>
                    {a.filename}
                  </a>{' '}
                  <span className="muted small">({size(a.size)})</span>
                  {editable && (
                    <button type="button" className="btn btn-small" onClick={() => setRemoving(a)} aria-label={t('attachments.removeLabel', { name: a.filename })}>
                      {t('attachments.remove')}
                    </button>
                  )}
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {editable && (
        <form
          className="attachment-add"
          onSubmit={(e) => {
            e.preventDefault();
            if (file) add.mutate(file);
          }}
        >
          <label htmlFor={inputId}>{t('attachments.choose')}</label>
          <p className="hint small" id={`${inputId}-hint`}>
            {t('attachments.hint')}
          </p>
          <input
            ref={input}
            id={inputId}
            type="file"
            accept=".pdf,.docx,.xlsx,.png,.jpg,.jpeg,.gif,.webp,application/pdf,image/*"
            aria-describedby={`${inputId}-hint`}
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
          <button type="submit" className="btn btn-small" disabled={!file || add.isPending}>
            {add.isPending ? t('attachments.uploading') : t('attachments.add')}
          </button>
          <ErrorMessage error={add.error} />
        </form>
      )}
      {removing && (
        <ConfirmDialog
          isOpen
          title={t('attachments.removeTitle')}
          text={t('attachments.removeText', { name: removing.filename })}
          confirmLabel={t('attachments.remove')}
          onClose={() => {
            setRemoving(null);
            remove.reset();
          }}
          onConfirm={() => remove.mutate(removing)}
          pending={remove.isPending}
          error={remove.error}
        />
      )}
    </section>
  );
}
