import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../app/api.ts';
import type { Page } from '../app/types.ts';
import { Card, ErrorNotice, Loading, Table } from '../app/ui.tsx';
import { useFormat } from '../i18n/use-format.ts';

interface Endpoint {
  id: string;
  url: string;
  description: string | null;
  eventTypes: string[];
  enabled: boolean;
  disabledReason: string | null;
  failingSince: string | null;
}

interface Delivery {
  id: number;
  messageId: string;
  eventType: string;
  status: string;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
}

/** Webhook endpoints: add one (its secret shows once), see its delivery log, send a test, replay, pause. */
export function WebhooksSettings() {
  const { t } = useFormat();
  const client = useQueryClient();
  const endpoints = useQuery({ queryKey: ['webhooks'], queryFn: () => api<{ items: Endpoint[] }>('/api/webhooks') });
  const [secret, setSecret] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const refresh = () => client.invalidateQueries({ queryKey: ['webhooks'] });
  const add = useMutation({
    mutationFn: (body: { url: string; description?: string }) =>
      api<Endpoint & { secret: string }>('/api/webhooks', { method: 'POST', body }),
    onSuccess: async (created) => {
      setSecret(created.secret);
      await refresh();
    },
  });
  const toggle = useMutation({
    mutationFn: (endpoint: Endpoint) =>
      api(`/api/webhooks/${endpoint.id}`, { method: 'PATCH', body: { enabled: !endpoint.enabled } }),
    onSuccess: refresh,
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const description = String(form.get('description') ?? '').trim();
    add.mutate({ url: String(form.get('url') ?? '').trim(), ...(description ? { description } : {}) });
    event.currentTarget.reset();
  };
  return (
    <>
      <Card title={t('webhooks.add')}>
        <form className="filters" onSubmit={submit}>
          <div className="field grow">
            <label htmlFor="webhook-url">{t('webhooks.url')}</label>
            <input id="webhook-url" name="url" type="url" required placeholder="https://crm.example.com/ripen" />
          </div>
          <div className="field grow">
            <label htmlFor="webhook-description">{t('webhooks.description')}</label>
            <input id="webhook-description" name="description" maxLength={500} />
          </div>
          <button className="button primary" type="submit" disabled={add.isPending}>
            {t('users.addButton')}
          </button>
        </form>
        {add.isError && <ErrorNotice error={add.error} />}
        {secret && (
          <div className="notice warn" role="status">
            <p>{t('webhooks.secret')}</p>
            <p>
              <code className="secret">{secret}</code>
            </p>
          </div>
        )}
      </Card>
      <Card title={t('webhooks.title')}>
        {toggle.isError && <ErrorNotice error={toggle.error} />}
        {endpoints.isPending ? (
          <Loading />
        ) : endpoints.isError ? (
          <ErrorNotice error={endpoints.error} retry={() => endpoints.refetch()} />
        ) : endpoints.data.items.length === 0 ? (
          <p className="muted">{t('webhooks.none')}</p>
        ) : (
          <ul className="plain-list">
            {endpoints.data.items.map((endpoint) => (
              <li key={endpoint.id} className="webhook-item">
                <div className="row-between">
                  <div className="grow-text">
                    <strong className="break">{endpoint.url}</strong>
                    <span className="sub">
                      {endpoint.description ?? ''}
                      {endpoint.enabled ? '' : ` · ${endpoint.disabledReason ?? t('webhooks.paused')}`}
                    </span>
                  </div>
                  <span className={`badge ${endpoint.enabled ? 'stage-customer' : 'stage-disqualified'}`}>
                    {endpoint.enabled ? t('webhooks.on') : t('webhooks.off')}
                  </span>
                  <button type="button" className="button" onClick={() => toggle.mutate(endpoint)}>
                    {endpoint.enabled ? t('webhooks.pause') : t('webhooks.resume')}
                  </button>
                  <button
                    type="button"
                    className="button ghost"
                    aria-expanded={open === endpoint.id}
                    onClick={() => setOpen(open === endpoint.id ? null : endpoint.id)}
                  >
                    {t('webhooks.log')}
                  </button>
                </div>
                {open === endpoint.id && <DeliveryLog endpoint={endpoint} />}
              </li>
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}

function DeliveryLog({ endpoint }: { endpoint: Endpoint }) {
  const { t, dateTime } = useFormat();
  const client = useQueryClient();
  const log = useInfiniteQuery({
    queryKey: ['deliveries', endpoint.id],
    queryFn: ({ pageParam }) =>
      api<Page<Delivery>>(`/api/webhooks/${endpoint.id}/deliveries`, { query: { limit: 20, cursor: pageParam } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const refresh = () => client.invalidateQueries({ queryKey: ['deliveries', endpoint.id] });
  const test = useMutation({
    mutationFn: () => api(`/api/webhooks/${endpoint.id}/test`, { method: 'POST' }),
    onSuccess: refresh,
  });
  const replay = useMutation({
    mutationFn: (deliveryId: number) => api(`/api/webhooks/deliveries/${deliveryId}/replay`, { method: 'POST' }),
    onSuccess: refresh,
  });
  const items = log.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <div className="delivery-log">
      <div className="action-buttons">
        <button
          type="button"
          className="button"
          disabled={!endpoint.enabled || test.isPending}
          onClick={() => test.mutate()}
        >
          {t('webhooks.test')}
        </button>
        <button type="button" className="button ghost" onClick={refresh}>
          {t('webhooks.refresh')}
        </button>
      </div>
      {test.isError && <ErrorNotice error={test.error} />}
      {replay.isError && <ErrorNotice error={replay.error} />}
      {log.isPending ? (
        <Loading />
      ) : log.isError ? (
        <ErrorNotice error={log.error} retry={() => log.refetch()} />
      ) : items.length === 0 ? (
        <p className="muted">{t('webhooks.noDeliveries')}</p>
      ) : (
        <Table
          columns={[
            t('audit.when'),
            t('webhooks.event'),
            t('webhooks.status'),
            t('webhooks.answer'),
            { label: t('users.actions'), hidden: true },
          ]}
          className="compact"
        >
          {items.map((delivery) => (
            <tr key={delivery.id}>
              <td>{dateTime(delivery.createdAt)}</td>
              <td>{delivery.eventType}</td>
              <td>
                {t(`webhooks.delivery.${delivery.status}`)} · {t('webhooks.attempts', { count: delivery.attempts })}
              </td>
              <td className="small muted">
                {[delivery.lastStatus === null ? null : `HTTP ${delivery.lastStatus}`, delivery.lastError]
                  .filter(Boolean)
                  .join(' · ') || '—'}
              </td>
              <td>
                {(delivery.status === 'delivered' || delivery.status === 'failed') && (
                  <button type="button" className="button ghost" onClick={() => replay.mutate(delivery.id)}>
                    {t('webhooks.replay')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </Table>
      )}
      {log.hasNextPage && (
        <button type="button" className="button load-more" onClick={() => log.fetchNextPage()}>
          {t('audit.more')}
        </button>
      )}
    </div>
  );
}
