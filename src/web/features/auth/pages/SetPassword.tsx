import { useState, type FormEvent } from 'react';
import { Link, useSearch } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { MIN_PASSWORD } from '../../../../shared/schemas/users.ts';
import { auth } from '../api.ts';
import { ApiError } from '../../../api/client.ts';
import { TextField } from '../../../components/Field.tsx';
import { ErrorMessage, Notice } from '../../../components/Feedback.tsx';
import { PageTitle } from '../../../components/PageTitle.tsx';

export function SetPasswordPage() {
  const { t } = useTranslation();
  const { token } = useSearch({ from: '/satt-losenord' });
  const [pw, setPw] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errs, setErrs] = useState<{ pw?: string; repeat?: string }>({});
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const [pending, setPending] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const next = {
      pw: pw.length < MIN_PASSWORD ? t('common.passwordTooShort', { min: MIN_PASSWORD }) : undefined,
      repeat: repeat !== pw ? t('common.passwordsDiffer') : undefined,
    };
    setErrs(next);
    if (next.pw || next.repeat || !token) return;
    setPending(true);
    setError(null);
    try {
      await auth.setPassword(token, pw);
      setDone(true);
    } catch (err) {
      setError(err);
      if (err instanceof ApiError) setErrs({ pw: err.field('newPassword') });
    } finally {
      setPending(false);
    }
  }

  return (
    <div className="narrow">
      <PageTitle title={t('setPassword.title')}>{t('setPassword.title')}</PageTitle>
      {!token ? (
        <div className="alert alert-error" role="alert">
          <p>{t('setPassword.missingToken')}</p>
        </div>
      ) : done ? (
        <>
          <Notice message={t('setPassword.done')} />
          <p>
            <Link to="/logga-in">{t('setPassword.toSignIn')}</Link>
          </p>
        </>
      ) : (
        <>
          <p>{t('setPassword.intro', { min: MIN_PASSWORD })}</p>
          <form onSubmit={submit} noValidate className="card">
            <TextField
              label={t('setPassword.newPassword')}
              type="password"
              autoComplete="new-password"
              value={pw}
              onChange={(e) => setPw(e.target.value)}
              error={errs.pw}
              required
            />
            <TextField
              label={t('setPassword.repeat')}
              type="password"
              autoComplete="new-password"
              value={repeat}
              onChange={(e) => setRepeat(e.target.value)}
              error={errs.repeat}
              required
            />
            <ErrorMessage error={error} />
            <button type="submit" className="btn btn-primary" disabled={pending}>
              {t('setPassword.submit')}
            </button>
          </form>
        </>
      )}
    </div>
  );
}
