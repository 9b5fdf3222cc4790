import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, lazy, Suspense, useState } from 'react';
import { api } from '../app/api.ts';
import { Card, ErrorNotice, Loading } from '../app/ui.tsx';
import { useFormat } from '../i18n/use-format.ts';

interface ApiKey {
  id: string;
  kind: 'secret' | 'write';
  role: string;
  userId: string | null;
  name: string;
  prefix: string;
  allowedOrigins: string[];
  createdAt: string;
  revokedAt: string | null;
}

const KEY_ROLES = ['admin', 'manager', 'rep'] as const;

/** Loaded when the keys page opens: it keeps the first page's JavaScript as it was. */
const SnippetInstructions = lazy(() => import('./SnippetInstructions.tsx'));

/** One origin a line, as people paste them; the server says which one it cannot read. */
function originsOf(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((line) => line.trim())
    .filter(Boolean);
}

/**
 * API keys: secret keys for servers (a role; shown once), public write keys for websites
 * (the origins they may send from), and revoking either.
 */
export function KeysSettings() {
  const { t } = useFormat();
  const client = useQueryClient();
  const keys = useQuery({ queryKey: ['keys'], queryFn: () => api<{ items: ApiKey[] }>('/api/keys') });
  const [kind, setKind] = useState<'secret' | 'write'>('write');
  const [role, setRole] = useState<string>('admin');
  const [created, setCreated] = useState<{ key: ApiKey; secret: string } | null>(null);
  const refresh = () => client.invalidateQueries({ queryKey: ['keys'] });
  const add = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      api<{ key: ApiKey; secret: string }>('/api/keys', { method: 'POST', body }),
    onSuccess: async (answer) => {
      setCreated(answer);
      await refresh();
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api<ApiKey>(`/api/keys/${id}`, { method: 'DELETE' }),
    onSuccess: refresh,
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const name = String(form.get('name') ?? '').trim();
    const userId = String(form.get('userId') ?? '').trim();
    const body =
      kind === 'write'
        ? { kind, name, allowedOrigins: originsOf(String(form.get('origins') ?? '')) }
        : { kind, name, role, ...(userId ? { userId } : {}) };
    add.mutate(body, { onSuccess: () => (event.target as HTMLFormElement).reset() });
  };
  return (
    <>
      <Card title={t('keys.add')}>
        <form className="stack-form" onSubmit={submit}>
          <div className="filters">
            <div className="field">
              <label htmlFor="key-kind">{t('keys.kind')}</label>
              <select
                id="key-kind"
                value={kind}
                onChange={(event) => setKind(event.target.value === 'secret' ? 'secret' : 'write')}
              >
                <option value="write">{t('keys.kind.write')}</option>
                <option value="secret">{t('keys.kind.secret')}</option>
              </select>
            </div>
            <div className="field grow">
              <label htmlFor="key-name">{t('keys.name')}</label>
              <input id="key-name" name="name" required maxLength={100} placeholder={t('keys.namePlaceholder')} />
            </div>
            {kind === 'secret' && (
              <>
                <div className="field">
                  <label htmlFor="key-role">{t('keys.role')}</label>
                  <select id="key-role" value={role} onChange={(event) => setRole(event.target.value)}>
                    {KEY_ROLES.map((each) => (
                      <option key={each} value={each}>
                        {t(`role.${each}`)}
                      </option>
                    ))}
                  </select>
                </div>
                {role !== 'admin' && (
                  <div className="field grow">
                    <label htmlFor="key-user">{t('keys.actsFor')}</label>
                    <input id="key-user" name="userId" type="email" required={role === 'rep'} maxLength={320} />
                  </div>
                )}
              </>
            )}
          </div>
          {kind === 'write' && (
            <div className="field">
              <label htmlFor="key-origins">{t('keys.origins')}</label>
              <textarea id="key-origins" name="origins" rows={3} placeholder="https://www.example.com" />
              <p className="small muted">{t('keys.originsHint')}</p>
            </div>
          )}
          <p className="small muted">{kind === 'write' ? t('keys.writeHint') : t('keys.secretHint')}</p>
          <div>
            <button className="button primary" type="submit" disabled={add.isPending}>
              {t('keys.create')}
            </button>
          </div>
        </form>
        {add.isError && <ErrorNotice error={add.error} />}
        {created && (
          <div className="notice warn" role="status">
            <p>{t('keys.created', { name: created.key.name })}</p>
            <p>
              <code className="secret" data-testid="new-key">
                {created.secret}
              </code>
            </p>
            <p className="small">{created.key.kind === 'write' ? t('keys.createdWrite') : t('keys.createdSecret')}</p>
          </div>
        )}
      </Card>
      <Suspense fallback={<Loading />}>
        <SnippetInstructions writeKey={created?.key.kind === 'write' ? created.secret : null} />
      </Suspense>
      <Card title={t('keys.title')}>
        {revoke.isError && <ErrorNotice error={revoke.error} />}
        {keys.isPending ? (
          <Loading />
        ) : keys.isError ? (
          <ErrorNotice error={keys.error} retry={() => keys.refetch()} />
        ) : (
          <ul className="plain-list" data-testid="keys">
            {keys.data.items.map((key) => (
              <KeyItem
                key={key.id}
                apiKey={key}
                onRevoke={() => {
                  if (window.confirm(t('keys.revokeConfirm', { name: key.name }))) revoke.mutate(key.id);
                }}
              />
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}

function KeyItem({ apiKey, onRevoke }: { apiKey: ApiKey; onRevoke: () => void }) {
  const { t, date } = useFormat();
  const [editing, setEditing] = useState(false);
  const client = useQueryClient();
  const save = useMutation({
    mutationFn: (allowedOrigins: string[]) =>
      api<ApiKey>(`/api/keys/${apiKey.id}`, { method: 'PATCH', body: { allowedOrigins } }),
    onSuccess: async () => {
      setEditing(false);
      await client.invalidateQueries({ queryKey: ['keys'] });
    },
  });
  const revoked = apiKey.revokedAt !== null;
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    save.mutate(originsOf(String(new FormData(event.currentTarget).get('origins') ?? '')));
  };
  const who =
    apiKey.kind === 'write'
      ? t('keys.short.write')
      : [t('keys.short.secret'), t(`role.${apiKey.role}`), apiKey.userId].filter(Boolean).join(' · ');
  return (
    <li className={`key-item${revoked ? ' revoked' : ''}`} data-prefix={apiKey.prefix}>
      <div className="row-between">
        <div className="grow-text">
          <strong className="break">{apiKey.name}</strong>
          <span className="sub">
            <code>{apiKey.prefix}…</code> · {who} · {t('keys.createdOn', { date: date(apiKey.createdAt) })}
          </span>
        </div>
        {revoked ? (
          <span className="badge stage-disqualified">
            {t('keys.revokedOn', { date: date(apiKey.revokedAt ?? apiKey.createdAt) })}
          </span>
        ) : (
          <>
            <span className="badge stage-customer">{t('keys.active')}</span>
            <button type="button" className="button danger" onClick={onRevoke}>
              {t('keys.revoke')}
            </button>
          </>
        )}
      </div>
      {apiKey.kind === 'write' && !revoked && (
        <div className="key-origins">
          {editing ? (
            <form className="stack-form" onSubmit={submit}>
              <label htmlFor={`origins-${apiKey.id}`}>{t('keys.originsOf', { name: apiKey.name })}</label>
              <textarea
                id={`origins-${apiKey.id}`}
                name="origins"
                rows={3}
                defaultValue={apiKey.allowedOrigins.join('\n')}
              />
              <div className="row">
                <button type="submit" className="button primary" disabled={save.isPending}>
                  {t('keys.saveOrigins')}
                </button>
                <button type="button" className="button ghost" onClick={() => setEditing(false)}>
                  {t('common.cancel')}
                </button>
              </div>
              {save.isError && <ErrorNotice error={save.error} />}
            </form>
          ) : (
            <p className="small">
              <span className="muted">{t('keys.origins')}: </span>
              {apiKey.allowedOrigins.length === 0 ? t('keys.anyOrigin') : apiKey.allowedOrigins.join(', ')}{' '}
              <button type="button" className="linklike" onClick={() => setEditing(true)}>
                {t('keys.editOrigins')}
              </button>
            </p>
          )}
        </div>
      )}
    </li>
  );
}
