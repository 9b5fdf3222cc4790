import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../app/api.ts';
import { Card } from '../app/ui.tsx';
import { useFormat } from '../i18n/use-format.ts';
import { actorLabel } from './StageHistory.tsx';

interface Merge {
  id: string;
  mergedId: string;
  merged: { email: string | null; userId: string | null; name: string | null; stage: string };
  reason: string;
  mergedBy: string;
  mergedAt: string;
  moved: { events: number; devices: number; outcomes: number };
  undoneBy: string | null;
  undoneAt: string | null;
}

/**
 * For admins and managers: merge a duplicate of this person into this lead (by the duplicate's
 * email), see the merges made into it, and undo one.
 */
export function MergeCard({ contactId }: { contactId: string }) {
  const { t, dateTime } = useFormat();
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [email, setEmail] = useState('');
  const [reason, setReason] = useState('');
  const merges = useQuery({
    queryKey: ['merges', contactId],
    queryFn: () => api<{ merges: Merge[] }>(`/api/contacts/${contactId}/merges`),
  });
  const refresh = () => client.invalidateQueries();
  const merge = useMutation({
    mutationFn: () =>
      api(`/api/contacts/${contactId}/merges`, {
        method: 'POST',
        body: { mergedEmail: email.trim(), ...(reason.trim() ? { reason: reason.trim() } : {}) },
      }),
    onSuccess: async () => {
      setOpen(false);
      setEmail('');
      setReason('');
      await refresh();
    },
  });
  const undo = useMutation({
    mutationFn: (mergeId: string) => api(`/api/merges/${mergeId}/undo`, { method: 'POST', body: {} }),
    onSuccess: refresh,
  });
  const list = merges.data?.merges ?? [];
  return (
    <Card title={t('merge.title')}>
      {list.length === 0 ? (
        <p className="muted">{t('merge.none')}</p>
      ) : (
        <ul className="merges" data-testid="merges">
          {list.map((item) => (
            <li key={item.id}>
              <div>
                <strong>{item.merged.name ?? item.merged.email ?? item.merged.userId ?? item.mergedId}</strong>
                {item.merged.name && item.merged.email && <span className="muted"> · {item.merged.email}</span>}
              </div>
              <div className="sub">
                {t('merge.summary', {
                  when: dateTime(item.mergedAt),
                  who: actorLabel(item.mergedBy, t),
                  events: item.moved.events,
                })}
                {` · ${t('merge.reason', { reason: item.reason })}`}
              </div>
              {item.undoneAt ? (
                <div className="sub">{t('merge.undone', { when: dateTime(item.undoneAt) })}</div>
              ) : (
                <button
                  type="button"
                  className="button ghost small"
                  disabled={undo.isPending}
                  onClick={() => undo.mutate(item.id)}
                >
                  {t('merge.undo')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {undo.isError && (
        <p role="alert" className="error">
          {undo.error.message}
        </p>
      )}
      {!open && (
        <button type="button" className="button" onClick={() => setOpen(true)}>
          {t('merge.start')}
        </button>
      )}
      {open && (
        <form
          className="action-form"
          onSubmit={(event) => {
            event.preventDefault();
            if (email.trim() !== '') merge.mutate();
          }}
        >
          <p className="muted">{t('merge.explain')}</p>
          <div className="field">
            <label htmlFor="merge-email">{t('merge.email')}</label>
            <input
              id="merge-email"
              type="email"
              value={email}
              onChange={(event) => setEmail(event.target.value)}
              autoComplete="off"
              required
            />
          </div>
          <div className="field">
            <label htmlFor="merge-reason">{t('merge.reasonLabel')}</label>
            <input
              id="merge-reason"
              value={reason}
              onChange={(event) => setReason(event.target.value)}
              maxLength={500}
            />
          </div>
          {merge.isError && (
            <p role="alert" className="error">
              {merge.error.message}
            </p>
          )}
          <div className="form-buttons">
            <button type="submit" className="button" disabled={email.trim() === '' || merge.isPending}>
              {t('merge.submit')}
            </button>
            <button type="button" className="button ghost" onClick={() => setOpen(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
    </Card>
  );
}
