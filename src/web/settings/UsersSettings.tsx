import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../app/api.ts';
import { useSession } from '../app/session.tsx';
import { ROLES, type Role } from '../app/types.ts';
import { Card, ErrorNotice, Loading, Table } from '../app/ui.tsx';
import { useFormat } from '../i18n/use-format.ts';

interface User {
  id: string;
  email: string;
  role: Role;
  createdAt: string;
  passwordChangedAt: string;
}

/** People and their roles: add (the one-time password shows once), change a role, remove. */
export function UsersSettings() {
  const { t, date } = useFormat();
  const session = useSession();
  const client = useQueryClient();
  const users = useQuery({ queryKey: ['users'], queryFn: () => api<{ items: User[] }>('/api/users') });
  const [created, setCreated] = useState<{ email: string; password: string } | null>(null);
  const refresh = () => client.invalidateQueries({ queryKey: ['users'] });
  const add = useMutation({
    mutationFn: (body: { email: string; role: string }) =>
      api<{ user: User; password: string }>('/api/users', { method: 'POST', body }),
    onSuccess: async (answer) => {
      setCreated({ email: answer.user.email, password: answer.password });
      await refresh();
    },
  });
  const change = useMutation({
    mutationFn: ({ id, role }: { id: string; role: string }) =>
      api(`/api/users/${id}`, { method: 'PATCH', body: { role } }),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: (id: string) => api(`/api/users/${id}`, { method: 'DELETE' }),
    onSuccess: refresh,
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    add.mutate({ email: String(form.get('email') ?? '').trim(), role: String(form.get('role') ?? 'rep') });
    event.currentTarget.reset();
  };
  return (
    <>
      <Card title={t('users.add')}>
        <form className="filters" onSubmit={submit}>
          <div className="field grow">
            <label htmlFor="new-email">{t('users.email')}</label>
            <input id="new-email" name="email" type="email" required autoComplete="off" />
          </div>
          <div className="field">
            <label htmlFor="new-role">{t('users.role')}</label>
            <select id="new-role" name="role" defaultValue="rep">
              {ROLES.map((role) => (
                <option key={role} value={role}>
                  {t(`role.${role}`)}
                </option>
              ))}
            </select>
          </div>
          <button className="button primary" type="submit" disabled={add.isPending}>
            {t('users.addButton')}
          </button>
        </form>
        {add.isError && <ErrorNotice error={add.error} />}
        {created && (
          <div className="notice warn" role="status">
            <p>{t('users.created', { email: created.email })}</p>
            <p>
              <code className="secret" data-testid="one-time-password">
                {created.password}
              </code>
            </p>
            <p className="small">{t('users.createdHint')}</p>
          </div>
        )}
      </Card>
      <Card title={t('users.title')}>
        {change.isError && <ErrorNotice error={change.error} />}
        {remove.isError && <ErrorNotice error={remove.error} />}
        {users.isPending ? (
          <Loading />
        ) : users.isError ? (
          <ErrorNotice error={users.error} retry={() => users.refetch()} />
        ) : (
          <Table
            columns={[t('users.email'), t('users.role'), t('users.since'), { label: t('users.actions'), hidden: true }]}
          >
            {users.data.items.map((user) => (
              <tr key={user.id}>
                <th scope="row">{user.email}</th>
                <td>
                  <label className="visually-hidden" htmlFor={`role-${user.id}`}>
                    {t('users.roleOf', { email: user.email })}
                  </label>
                  <select
                    id={`role-${user.id}`}
                    value={user.role}
                    onChange={(event) => change.mutate({ id: user.id, role: event.target.value })}
                  >
                    {ROLES.map((role) => (
                      <option key={role} value={role}>
                        {t(`role.${role}`)}
                      </option>
                    ))}
                  </select>
                </td>
                <td>{date(user.createdAt)}</td>
                <td>
                  {user.email !== session.user.email && (
                    <button
                      type="button"
                      className="button danger"
                      onClick={() => {
                        if (window.confirm(t('users.removeConfirm', { email: user.email }))) remove.mutate(user.id);
                      }}
                    >
                      {t('users.remove')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </Table>
        )}
      </Card>
    </>
  );
}
