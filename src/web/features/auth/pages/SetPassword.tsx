import { useState } from 'react';
import { useSearch } from '@tanstack/react-router';
import { Link } from '../../../components/Link.tsx';
import { useTranslation } from 'react-i18next';
import { MIN_PASSWORD } from '../../../../shared/schemas/users.ts';
import { auth } from '../api.ts';
import { TextField } from '../../../components/Field.tsx';
import { ErrorMessage, Notice } from '../../../components/Feedback.tsx';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { useForm } from '../../../components/useForm.ts';

export function SetPasswordPage() {
  const { t } = useTranslation();
  const { token } = useSearch({ from: '/satt-losenord' });
  const [done, setDone] = useState(false);
  const form = useForm(
    { pw: '', repeat: '' },
    {
      validate: (v) => ({
        pw: v.pw.length < MIN_PASSWORD ? t('common.passwordTooShort', { min: MIN_PASSWORD }) : undefined,
        repeat: v.repeat !== v.pw ? t('common.passwordsDiffer') : undefined,
      }),
      submit: (v) => auth.setPassword(token ?? '', v.pw),
      onSuccess: () => setDone(true),
      fieldMap: { newPassword: 'pw' },
    },
  );

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
          <form onSubmit={(e) => void form.handleSubmit(e)} noValidate className="card">
            <TextField
              label={t('setPassword.newPassword')}
              type="password"
              autoComplete="new-password"
              value={form.values.pw}
              onChange={form.set('pw')}
              error={form.err('pw')}
              required
            />
            <TextField
              label={t('setPassword.repeat')}
              type="password"
              autoComplete="new-password"
              value={form.values.repeat}
              onChange={form.set('repeat')}
              error={form.err('repeat')}
              required
            />
            <ErrorMessage error={form.error} />
            <button type="submit" className="btn btn-primary" disabled={form.submitting}>
              {t('setPassword.submit')}
            </button>
          </form>
        </>
      )}
    </div>
  );
}
