import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../app/api.ts';
import { useSession } from '../app/session.tsx';
import { Card, ErrorNotice, Loading, Table } from '../app/ui.tsx';
import { useFormat } from '../i18n/use-format.ts';
import type { PublishedPlaybook, VersionSummary } from './playbook-api.ts';
import { RescoringProgress } from './RescoringProgress.tsx';

/** Every published version; rolling back publishes an old version's YAML again, as a new version. */
export function VersionHistory({ published }: { published: PublishedPlaybook }) {
  const { t, dateTime } = useFormat();
  const session = useSession();
  const client = useQueryClient();
  const versions = useQuery({
    queryKey: ['playbook-versions'],
    queryFn: () => api<{ items: VersionSummary[] }>('/api/playbook/versions'),
  });
  const rollBack = useMutation({
    mutationFn: async (version: number) => {
      const old = await api<PublishedPlaybook>(`/api/playbook/versions/${version}`);
      return api<{ version: number }>('/api/playbook/publish', { method: 'POST', body: { source: old.source } });
    },
    onSuccess: () =>
      Promise.all(
        [['playbook'], ['playbook-versions'], ['rescoring']].map((queryKey) => client.invalidateQueries({ queryKey })),
      ),
  });
  return (
    <>
      <RescoringProgress />
      <Card title={t('playbook.history')}>
        {rollBack.isError && <ErrorNotice error={rollBack.error} />}
        {versions.isPending ? (
          <Loading />
        ) : versions.isError ? (
          <ErrorNotice error={versions.error} retry={() => versions.refetch()} />
        ) : (
          <Table
            columns={[
              t('playbook.version'),
              t('playbook.name'),
              t('playbook.when'),
              t('playbook.who'),
              { label: t('users.actions'), hidden: true },
            ]}
            testId="playbook-versions"
          >
            {versions.data.items.map((version) => (
              <tr key={version.version}>
                <th scope="row">
                  {version.version}
                  {version.version === published.version && (
                    <span className="badge stage-customer"> {t('playbook.active')}</span>
                  )}
                </th>
                <td>{version.name}</td>
                <td>{dateTime(version.publishedAt)}</td>
                <td>{version.publishedBy}</td>
                <td>
                  {session.can.publishPlaybook && version.version !== published.version && (
                    <button
                      type="button"
                      className="button"
                      disabled={rollBack.isPending}
                      onClick={() => {
                        if (window.confirm(t('playbook.rollBackConfirm', { version: version.version }))) {
                          rollBack.mutate(version.version);
                        }
                      }}
                    >
                      {t('playbook.rollBack')}
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
