import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../app/api.ts';
import { useSession, useSignedIn } from '../app/session.tsx';
import type { Session } from '../app/types.ts';
import { Card, ErrorNotice } from '../app/ui.tsx';
import { useFormat } from '../i18n/use-format.ts';

/** One's own account: who, which role, and a new password (which signs out every other session). */
export function AccountPage() {
  const { t } = useFormat();
  const session = useSession();
  const signedIn = useSignedIn();
  const [done, setDone] = useState(false);
  const [mismatch, setMismatch] = useState(false);
  const change = useMutation({
    mutationFn: (body: { current: string; next: string }) =>
      api<Session>('/api/session/password', { method: 'POST', body }),
    onSuccess: (fresh) => {
      setDone(true);
      signedIn(fresh);
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const next = String(form.get('next') ?? '');
    setMismatch(next !== String(form.get('repeat') ?? ''));
    if (next !== String(form.get('repeat') ?? '')) return;
    setDone(false);
    change.mutate({ current: String(form.get('current') ?? ''), next });
  };
  return (
    <div className="page narrow">
      <h1>{t('account.title')}</h1>
      <Card>
        <dl className="facts">
          <div>
            <dt>{t('users.email')}</dt>
            <dd>{session.user.email}</dd>
          </div>
          <div>
            <dt>{t('users.role')}</dt>
            <dd>{t(`role.${session.user.role}`)}</dd>
          </div>
        </dl>
      </Card>
      <Card title={t('account.password')}>
        <form className="stack" onSubmit={submit}>
          <label htmlFor="current">{t('account.current')}</label>
          <input id="current" name="current" type="password" autoComplete="current-password" required />
          <label htmlFor="next">{t('account.next')}</label>
          <input id="next" name="next" type="password" autoComplete="new-password" minLength={12} required />
          <label htmlFor="repeat">{t('account.repeat')}</label>
          <input id="repeat" name="repeat" type="password" autoComplete="new-password" minLength={12} required />
          <p className="hint">{t('account.hint')}</p>
          {mismatch && (
            <p className="error" role="alert">
              {t('account.mismatch')}
            </p>
          )}
          {change.isError && <ErrorNotice error={change.error} />}
          {done && (
            <p className="notice ok" role="status">
              {t('account.changed')}
            </p>
          )}
          <button className="button primary" type="submit" disabled={change.isPending}>
            {t('account.change')}
          </button>
        </form>
      </Card>
    </div>
  );
}
