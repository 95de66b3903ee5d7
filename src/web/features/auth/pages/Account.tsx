import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { MIN_PASSWORD } from '../../../../shared/schemas/users.ts';
import { auth } from '../api.ts';
import { TextField } from '../../../components/Field.tsx';
import { ErrorMessage, Notice } from '../../../components/Feedback.tsx';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { useForm } from '../../../components/useForm.ts';
import { changeLocale, useMe } from '../../../session.ts';
import type { Locale } from '../../../i18n/index.ts';
import { NotificationSettingsSection } from '../../notifications/components/NotificationSettings.tsx';

export function AccountPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const [langNotice, setLangNotice] = useState<string | null>(null);
  const [langError, setLangError] = useState<unknown>(null);
  const [pwNotice, setPwNotice] = useState<string | null>(null);
  const form = useForm(
    { currentPassword: '', newPassword: '', repeat: '' },
    {
      validate: (v) => {
        setPwNotice(null);
        return {
          currentPassword: v.currentPassword ? undefined : t('common.fieldRequired'),
          newPassword: v.newPassword.length < MIN_PASSWORD ? t('common.passwordTooShort', { min: MIN_PASSWORD }) : undefined,
          repeat: v.repeat !== v.newPassword ? t('common.passwordsDiffer') : undefined,
        };
      },
      submit: (v) => auth.changePassword(v.currentPassword, v.newPassword),
      onSuccess: () => {
        form.reset();
        setPwNotice(t('account.passwordChanged'));
        void qc.invalidateQueries({ queryKey: ['me'] });
      },
      mapError: (err) => (err.code === 'WRONG_PASSWORD' ? { currentPassword: err.message } : {}),
    },
  );
  if (!me) return null;

  async function pickLanguage(locale: Locale) {
    setLangError(null);
    try {
      await changeLocale(qc, locale);
      setLangNotice(i18n.t('account.languageSaved'));
    } catch (err) {
      setLangError(err);
    }
  }

  return (
    <>
      <PageTitle title={t('account.title')}>{t('account.title')}</PageTitle>
      <p className="lead">{t('account.intro')}</p>
      <div className="grid-2">
        <section className="card" aria-labelledby="acc-details-h">
          <h2 id="acc-details-h">{t('account.details')}</h2>
          <dl className="dl">
            <dt>{t('users.name')}</dt>
            <dd>{me.user.name}</dd>
            <dt>{t('users.email')}</dt>
            <dd>{me.user.email}</dd>
          </dl>
          <fieldset className="fieldset">
            <legend>{t('account.language')}</legend>
            <p className="muted small">{t('account.languageHelp')}</p>
            {(['sv', 'en'] as const).map((l) => (
              <div className="field field-check" key={l}>
                <input
                  type="radio"
                  id={`lang-${l}`}
                  name="language"
                  value={l}
                  checked={i18n.language === l}
                  onChange={() => void pickLanguage(l)}
                />
                <label htmlFor={`lang-${l}`} lang={l}>
                  {t(`account.${l}`)}
                </label>
              </div>
            ))}
            <Notice message={langNotice} />
            <ErrorMessage error={langError} />
          </fieldset>
        </section>
        <section className="card" aria-labelledby="acc-pw-h">
          <h2 id="acc-pw-h">{t('account.changePassword')}</h2>
          <form onSubmit={(e) => void form.handleSubmit(e)} noValidate>
            <TextField
              label={t('account.currentPassword')}
              type="password"
              autoComplete="current-password"
              value={form.values.currentPassword}
              onChange={form.set('currentPassword')}
              error={form.err('currentPassword')}
              required
            />
            <TextField
              label={t('account.newPassword')}
              type="password"
              autoComplete="new-password"
              value={form.values.newPassword}
              onChange={form.set('newPassword')}
              error={form.err('newPassword')}
              description={t('account.passwordHelp', { min: MIN_PASSWORD })}
              required
            />
            <TextField
              label={t('account.repeat')}
              type="password"
              autoComplete="new-password"
              value={form.values.repeat}
              onChange={form.set('repeat')}
              error={form.err('repeat')}
              required
            />
            <ErrorMessage error={form.error} />
            <Notice message={pwNotice} />
            <button type="submit" className="btn btn-primary" disabled={form.submitting}>
              {t('account.changePassword')}
            </button>
          </form>
        </section>
      </div>
      <NotificationSettingsSection />
    </>
  );
}
