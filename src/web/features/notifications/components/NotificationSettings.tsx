import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from '../../../components/Dialogs.tsx';
import { ErrorMessage, Notice, QueryState } from '../../../components/Feedback.tsx';
import { useForm } from '../../../components/useForm.ts';
import { formatDateTime } from '../../../format.ts';
import { EMAIL_KINDS } from '../../../../shared/schemas/notifications.ts';
import { notificationsApi, type CalendarTokenCreated } from '../api.ts';

type EmailKind = (typeof EMAIL_KINDS)[number];

/** The account page's section (issue #11 item 8): which notifications are e-mailed, and the calendar address. */
export function NotificationSettingsSection() {
  const { t } = useTranslation();
  const settings = useQuery({ queryKey: ['notification-settings'], queryFn: () => notificationsApi.settings() });
  return (
    <section className="card" aria-labelledby="acc-notif-h">
      <h2 id="acc-notif-h">{t('notifications.settings.title')}</h2>
      <QueryState isPending={settings.isPending} error={settings.error} refetch={() => void settings.refetch()} />
      {settings.data && <EmailForm initial={settings.data.emailKinds} available={settings.data.available} />}
      <CalendarAddress />
    </section>
  );
}

function EmailForm({ initial, available }: { initial: EmailKind[]; available: EmailKind[] }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [notice, setNotice] = useState<string | null>(null);
  const form = useForm(
    { emailKinds: initial },
    {
      submit: (v) => notificationsApi.saveSettings({ emailKinds: v.emailKinds }),
      onSuccess: (saved) => {
        setNotice(t('notifications.settings.saved'));
        qc.setQueryData(['notification-settings'], saved);
      },
    },
  );
  const toggle = (k: EmailKind, on: boolean) => {
    setNotice(null);
    form.setValue('emailKinds', on ? [...form.values.emailKinds, k] : form.values.emailKinds.filter((x) => x !== k));
  };
  return (
    <form onSubmit={(e) => void form.handleSubmit(e)} noValidate>
      <fieldset className="fieldset">
        <legend>{t('notifications.settings.email')}</legend>
        <p className="muted small">{t('notifications.settings.emailHelp')}</p>
        {available.map((k) => (
          <div className="field field-check" key={k}>
            <input type="checkbox" id={`mail-${k}`} checked={form.values.emailKinds.includes(k)} onChange={(e) => toggle(k, e.target.checked)} />
            <label htmlFor={`mail-${k}`}>{t(`notifications.settings.kind.${k}`)}</label>
          </div>
        ))}
      </fieldset>
      <ErrorMessage error={form.error} />
      <Notice message={notice} />
      <button type="submit" className="btn btn-primary" disabled={form.submitting}>
        {t('notifications.settings.save')}
      </button>
    </form>
  );
}

function CalendarAddress() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const state = useQuery({ queryKey: ['calendar-token'], queryFn: () => notificationsApi.calendar() });
  const [created, setCreated] = useState<CalendarTokenCreated | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<'rotate' | 'revoke' | null>(null);
  const refresh = () => qc.invalidateQueries({ queryKey: ['calendar-token'] });
  const create = useMutation({
    mutationFn: () => notificationsApi.createCalendar(),
    onSuccess: (c) => {
      setCreated(c);
      setNotice(null);
      setConfirm(null);
      void refresh();
    },
  });
  const revoke = useMutation({
    mutationFn: () => notificationsApi.revokeCalendar(),
    onSuccess: () => {
      setCreated(null);
      setNotice(t('notifications.settings.calendarRevoked'));
      setConfirm(null);
      void refresh();
    },
  });
  async function copy() {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.url);
      setNotice(t('notifications.settings.calendarCopied'));
    } catch {
      document.querySelector<HTMLInputElement>('#calendar-url')?.select();
    }
  }
  const active = state.data?.active ?? false;
  return (
    <div className="fieldset">
      <h3>{t('notifications.settings.calendar')}</h3>
      <p className="muted small">{t('notifications.settings.calendarHelp')}</p>
      <QueryState isPending={state.isPending} error={state.error} refetch={() => void state.refetch()} />
      {state.data && !created && (
        <p>{active ? t('notifications.settings.calendarActive', { date: formatDateTime(state.data.createdAt) }) : t('notifications.settings.calendarNone')}</p>
      )}
      {created && (
        <div className="field">
          <label htmlFor="calendar-url">{t('notifications.settings.calendarAddress')}</label>
          <input id="calendar-url" className="calendar-url" readOnly value={created.url} onFocus={(e) => e.target.select()} />
        </div>
      )}
      <Notice message={notice} />
      <ErrorMessage error={create.error ?? (confirm ? null : revoke.error)} />
      <div className="button-row">
        {created && (
          <button type="button" className="btn" onClick={() => void copy()}>
            {t('notifications.settings.calendarCopy')}
          </button>
        )}
        {state.data &&
          (active ? (
            <button type="button" className="btn" onClick={() => setConfirm('rotate')}>
              {t('notifications.settings.calendarRotate')}
            </button>
          ) : (
            <button type="button" className="btn btn-primary" onClick={() => create.mutate()} disabled={create.isPending}>
              {t('notifications.settings.calendarCreate')}
            </button>
          ))}
        {active && (
          <button type="button" className="btn btn-danger" onClick={() => setConfirm('revoke')}>
            {t('notifications.settings.calendarRevoke')}
          </button>
        )}
      </div>
      <ConfirmDialog
        isOpen={confirm === 'rotate'}
        title={t('notifications.settings.calendarRotate')}
        text={t('notifications.settings.calendarRotateText')}
        confirmLabel={t('notifications.settings.calendarRotate')}
        onClose={() => setConfirm(null)}
        onConfirm={() => create.mutate()}
        pending={create.isPending}
        error={create.error}
        tone="primary"
      />
      <ConfirmDialog
        isOpen={confirm === 'revoke'}
        title={t('notifications.settings.calendarRevoke')}
        text={t('notifications.settings.calendarRevokeText')}
        confirmLabel={t('notifications.settings.calendarRevoke')}
        onClose={() => setConfirm(null)}
        onConfirm={() => revoke.mutate()}
        pending={revoke.isPending}
        error={revoke.error}
      />
    </div>
  );
}
