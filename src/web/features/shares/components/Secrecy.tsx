import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useForm } from '../../../components/useForm.ts';
import { AppDialog } from '../../../components/Dialogs.tsx';
import { ErrorMessage, Notice } from '../../../components/Feedback.tsx';
import { TextAreaField, TextField } from '../../../components/Field.tsx';
import { formatDateTime } from '../../../format.ts';
import { secrecyApi, type SecretType } from '../api.ts';

/** The visible mark on a secrecy-marked record. */
export function SecrecyBadge({ secrecyRef }: { secrecyRef: string | null | undefined }) {
  const { t } = useTranslation();
  if (!secrecyRef) return null;
  return <span className="badge badge-danger">{t('secrecy.badge', { ref: secrecyRef })}</span>;
}

/**
 * Mark or unmark one record secret: OSL reference and reason, who/when/why, a confirmation step and the API's
 * field errors. Shown only to those who may (the caller decides with me.actions/canOn; the server decides anyway).
 */
export function SecrecyButton({ type, id, label, onChange }: { type: SecretType; id: string; label?: string; onChange?: (message: string) => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="btn btn-small" onClick={() => setOpen(true)} aria-label={label ? `${t('secrecy.title')}: ${label}` : undefined}>
        {t('secrecy.title')}
      </button>
      {open && <SecrecyDialog type={type} id={id} onClose={() => setOpen(false)} onChange={onChange} />}
    </>
  );
}

function SecrecyDialog({ type, id, onClose, onChange }: { type: SecretType; id: string; onClose: () => void; onChange?: (message: string) => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const state = useQuery({ queryKey: ['secrecy', type, id], queryFn: () => secrecyApi.get(type, id) });
  const [confirming, setConfirming] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const marked = !!state.data?.secrecyRef;
  const form = useForm(
    { secrecyRef: '18 kap. 8 § OSL', reason: '' },
    {
      validate: (v) => ({
        secrecyRef: !marked && !v.secrecyRef.trim() ? t('common.fieldRequired') : undefined,
        reason: v.reason.trim() ? undefined : t('common.fieldRequired'),
      }),
      submit: (v) => (marked ? secrecyApi.unmark(type, id, v.reason.trim()) : secrecyApi.mark(type, id, { secrecyRef: v.secrecyRef.trim(), reason: v.reason.trim() })),
      onSuccess: (data) => {
        qc.setQueryData(['secrecy', type, id], data);
        const message = data.secrecyRef ? t('secrecy.marked') : t('secrecy.unmarked');
        setNotice(message);
        form.setValue('reason', '');
        onChange?.(message);
      },
    },
  );
  const { values, set, err } = form;
  const confirm = () => void form.send().finally(() => setConfirming(false));
  const submit = () => {
    if (form.check()) setConfirming(true);
  };
  return (
    <AppDialog title={confirming ? (marked ? t('secrecy.unmarkTitle') : t('secrecy.markTitle')) : t('secrecy.title')} isOpen onClose={onClose} role={confirming ? 'alertdialog' : 'dialog'}>
      <Notice message={notice} />
      {state.error ? <ErrorMessage error={state.error} /> : null}
      {state.data &&
        (confirming ? (
          <>
            <p>{marked ? t('secrecy.confirmUnmarkText') : t('secrecy.confirmMarkText', { ref: values.secrecyRef.trim() })}</p>
            <div className="button-row">
              <button type="button" className="btn btn-danger" onClick={confirm} disabled={form.submitting}>
                {marked ? t('secrecy.confirmUnmark') : t('secrecy.confirmMark')}
              </button>
              <button type="button" className="btn" onClick={() => setConfirming(false)} autoFocus>
                {t('common.cancel')}
              </button>
            </div>
          </>
        ) : (
          <form
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              submit();
            }}
          >
            {marked ? (
              <dl className="facts">
                <dt>{t('secrecy.ref')}</dt>
                <dd>
                  <SecrecyBadge secrecyRef={state.data.secrecyRef} />
                </dd>
                <dt>{t('secrecy.markedBy')}</dt>
                <dd>{state.data.secrecyMarkedBy?.name ?? '–'}</dd>
                <dt>{t('secrecy.markedAt')}</dt>
                <dd>{formatDateTime(state.data.secrecyMarkedAt)}</dd>
                <dt>{t('secrecy.reason')}</dt>
                <dd className="prewrap">{state.data.secrecyReason ?? '–'}</dd>
              </dl>
            ) : (
              <>
                <p>{t('secrecy.notMarked')}</p>
                <TextField label={t('secrecy.ref')} description={t('secrecy.refHelp')} value={values.secrecyRef} onChange={set('secrecyRef')} error={err('secrecyRef')} required />
              </>
            )}
            <TextAreaField label={marked ? t('secrecy.unmarkReason') : t('secrecy.reason')} value={values.reason} onChange={set('reason')} error={err('reason')} required />
            <ErrorMessage error={form.error} />
            <div className="button-row">
              <button type="submit" className="btn btn-primary">
                {marked ? t('secrecy.unmark') : t('secrecy.mark')}
              </button>
              <button type="button" className="btn" onClick={onClose}>
                {t('common.close')}
              </button>
            </div>
          </form>
        ))}
    </AppDialog>
  );
}

/**
 * Badge and button together, for record types whose own answer does not carry the marking: the marking is read
 * from /api/secrecy (only those with the type's secret right get it, and only they see this control).
 */
export function SecrecyControl({ type, id, label, onChange }: { type: SecretType; id: string; label?: string; onChange?: (message: string) => void }) {
  const state = useQuery({ queryKey: ['secrecy', type, id], queryFn: () => secrecyApi.get(type, id) });
  return (
    <p className="secrecy-control">
      <SecrecyBadge secrecyRef={state.data?.secrecyRef} /> <SecrecyButton type={type} id={id} label={label} onChange={onChange} />
    </p>
  );
}
