import { useState, type FormEvent } from 'react';
import { useNavigate, useRouter, useSearch } from '@tanstack/react-router';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { auth } from '../api.ts';
import { ApiError } from '../../../api/client.ts';
import { TextField } from '../../../components/Field.tsx';
import { ErrorMessage, Notice } from '../../../components/Feedback.tsx';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { signedIn } from '../../../session.ts';

export function SignInPage() {
  const { t } = useTranslation();
  const search = useSearch({ from: '/logga-in' });
  const qc = useQueryClient();
  const router = useRouter();
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [fieldErrors, setFieldErrors] = useState<{ email?: string; password?: string }>({});
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const errs = {
      email: email.trim() ? undefined : t('common.fieldRequired'),
      password: password ? undefined : t('common.fieldRequired'),
    };
    setFieldErrors(errs);
    if (errs.email || errs.password) {
      setError(null);
      (document.getElementById(errs.email ? 'sign-in-email' : 'sign-in-password') as HTMLInputElement | null)?.focus();
      return;
    }
    setPending(true);
    setError(null);
    try {
      const me = await auth.signIn(email.trim(), password);
      signedIn(qc, me);
      if (search.redirect) router.history.push(search.redirect);
      else await navigate({ to: '/' });
    } catch (err) {
      setError(err);
      if (err instanceof ApiError) setFieldErrors({ email: err.field('email'), password: err.field('password') });
      setPassword('');
    } finally {
      setPending(false);
    }
  }

  return (
    <div className="narrow">
      <PageTitle title={t('signIn.title')}>{t('signIn.title')}</PageTitle>
      <p>{t('signIn.intro')}</p>
      {search.expired && <Notice message={t('signIn.sessionEnded')} />}
      {search.signedOut && <Notice message={t('app.signedOut')} />}
      <form onSubmit={submit} noValidate className="card">
        <TextField
          id="sign-in-email"
          label={t('signIn.email')}
          type="email"
          name="email"
          autoComplete="username"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={fieldErrors.email}
          required
        />
        <TextField
          id="sign-in-password"
          label={t('signIn.password')}
          type="password"
          name="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={fieldErrors.password}
          required
        />
        <ErrorMessage error={error} />
        <button type="submit" className="btn btn-primary" disabled={pending}>
          {pending ? t('signIn.submitting') : t('signIn.submit')}
        </button>
      </form>
    </div>
  );
}
