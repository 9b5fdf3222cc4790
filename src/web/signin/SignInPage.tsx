import { type FormEvent, useState } from 'react';
import { ApiError, api } from '../app/api.ts';
import { useSignedIn } from '../app/session.tsx';
import type { Session } from '../app/types.ts';
import { useFormat } from '../i18n/use-format.ts';

export function SignInPage() {
  const { t } = useFormat();
  const signedIn = useSignedIn();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const session = await api<Session>('/api/session', {
        method: 'POST',
        body: { email: String(form.get('email') ?? ''), password: String(form.get('password') ?? '') },
      });
      signedIn(session);
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 401) setError(t('signIn.invalid'));
      else if (caught instanceof ApiError && caught.status === 429) setError(t('signIn.throttled'));
      else setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="sign-in" id="main">
      <form className="card sign-in-card" onSubmit={submit} aria-describedby={error ? 'sign-in-error' : undefined}>
        <h1>
          <span className="brand-mark" aria-hidden="true" /> Ripen
        </h1>
        <p className="muted">{t('signIn.intro')}</p>
        <label htmlFor="email">{t('signIn.email')}</label>
        <input id="email" name="email" type="email" autoComplete="username" required />
        <label htmlFor="password">{t('signIn.password')}</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required />
        {error && (
          <p id="sign-in-error" className="error" role="alert">
            {error}
          </p>
        )}
        <button className="button primary" type="submit" disabled={busy}>
          {t('signIn.submit')}
        </button>
        <p className="hint">{t('signIn.firstTime')}</p>
      </form>
    </main>
  );
}
