import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../app/api.ts';
import type { Page } from '../app/types.ts';
import { Card, ErrorNotice, Loading, Table } from '../app/ui.tsx';
import { useFormat } from '../i18n/use-format.ts';

interface AuditItem {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  details: Record<string, unknown>;
  ip: string | null;
}

const ACTIONS = [
  'sign-in',
  'sign-in.failed',
  'sign-in.throttled',
  'sign-out',
  'user.created',
  'user.role-changed',
  'user.removed',
  'password.changed',
  'key.created',
  'key.revoked',
  'key.origins-changed',
  'playbook.published',
  'lead.reassigned',
  'lead.reopened',
];

/** Who did what and when: sign-ins, roles, keys, publishes, reassignments, reopenings. */
export function AuditLog() {
  const { t, dateTime } = useFormat();
  const [action, setAction] = useState('');
  const log = useInfiniteQuery({
    queryKey: ['audit', action],
    queryFn: ({ pageParam }) =>
      api<Page<AuditItem>>('/api/audit', { query: { action: action || undefined, limit: 50, cursor: pageParam } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = log.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Card title={t('audit.title')}>
      <div className="filters compact">
        <div className="field">
          <label htmlFor="audit-action">{t('audit.action')}</label>
          <select id="audit-action" value={action} onChange={(event) => setAction(event.target.value)}>
            <option value="">{t('leads.any')}</option>
            {ACTIONS.map((each) => (
              <option key={each} value={each}>
                {t(`audit.actions.${each}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      {log.isPending ? (
        <Loading />
      ) : log.isError ? (
        <ErrorNotice error={log.error} retry={() => log.refetch()} />
      ) : (
        <Table
          columns={[t('audit.when'), t('audit.who'), t('audit.action'), t('audit.target'), t('audit.details')]}
          className="compact"
          testId="audit-log"
        >
          {items.map((item) => (
            <tr key={item.id}>
              <td>{dateTime(item.at)}</td>
              <td>{item.actor}</td>
              <td>{ACTIONS.includes(item.action) ? t(`audit.actions.${item.action}`) : item.action}</td>
              <td>{item.target ?? '—'}</td>
              <td className="small muted">
                {[
                  ...Object.entries(item.details).map(
                    ([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`,
                  ),
                  ...(item.ip ? [item.ip] : []),
                ].join(' · ')}
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
    </Card>
  );
}
