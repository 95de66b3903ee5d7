import { useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { MIN_PASSWORD } from '../../../../shared/schemas/users.ts';
import { ApiError } from '../../../api/client.ts';
import { auth } from '../api.ts';
import { TextField } from '../../../components/Field.tsx';
import { ErrorMessage, Notice } from '../../../components/Feedback.tsx';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { changeLocale, useMe } from '../../../session.ts';
import type { Locale } from '../../../i18n/index.ts';

export function AccountPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const [langNotice, setLangNotice] = useState<string | null>(null);
  const [langError, setLangError] = useState<unknown>(null);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errs, setErrs] = useState<Record<string, string | undefined>>({});
  const [error, setError] = useState<unknown>(null);
  const [pwNotice, setPwNotice] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
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

  async function submit(e: FormEvent) {
    e.preventDefault();
    setPwNotice(null);
    const local = {
      currentPassword: current ? undefined : t('common.fieldRequired'),
      newPassword: next.length < MIN_PASSWORD ? t('common.passwordTooShort', { min: MIN_PASSWORD }) : undefined,
      repeat: repeat !== next ? t('common.passwordsDiffer') : undefined,
    };
    setErrs(local);
    if (Object.values(local).some(Boolean)) return;
    setPending(true);
    setError(null);
    try {
      await auth.changePassword(current, next);
      setCurrent('');
      setNext('');
      setRepeat('');
      setPwNotice(t('account.passwordChanged'));
      void qc.invalidateQueries({ queryKey: ['me'] });
    } catch (err) {
      setError(err);
      if (err instanceof ApiError)
        setErrs({
          currentPassword: err.code === 'WRONG_PASSWORD' ? err.message : err.field('currentPassword'),
          newPassword: err.field('newPassword'),
        });
    } finally {
      setPending(false);
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
          <form onSubmit={submit} noValidate>
            <TextField
              label={t('account.currentPassword')}
              type="password"
              autoComplete="current-password"
              value={current}
              onChange={(e) => setCurrent(e.target.value)}
              error={errs.currentPassword}
              required
            />
            <TextField
              label={t('account.newPassword')}
              type="password"
              autoComplete="new-password"
              value={next}
              onChange={(e) => setNext(e.target.value)}
              error={errs.newPassword}
              description={t('account.passwordHelp', { min: MIN_PASSWORD })}
              required
            />
            <TextField
              label={t('account.repeat')}
              type="password"
              autoComplete="new-password"
              value={repeat}
              onChange={(e) => setRepeat(e.target.value)}
              error={errs.repeat}
              required
            />
            <ErrorMessage error={error} />
            <Notice message={pwNotice} />
            <button type="submit" className="btn btn-primary" disabled={pending}>
              {t('account.changePassword')}
            </button>
          </form>
        </section>
      </div>
    </>
  );
}
