import { useQuery } from '@tanstack/react-query';
import { api } from '../app/api.ts';
import { useFormat } from '../i18n/use-format.ts';
import type { Rescoring } from './playbook-api.ts';

/** After a publish every contact is rescored in the background; this shows how far it got. */
export function RescoringProgress() {
  const { t, number, percent } = useFormat();
  const run = useQuery({
    queryKey: ['rescoring'],
    queryFn: () => api<Rescoring | null>('/api/playbook/rescoring'),
    refetchInterval: (query) => (query.state.data?.status === 'running' ? 1000 : false),
  });
  if (run.data?.status !== 'running') return null;
  const share = run.data.total === 0 ? 1 : run.data.processed / run.data.total;
  return (
    <div className="notice warn" role="status" data-testid="rescoring">
      <p>
        {t('playbook.rescoring', {
          version: run.data.version,
          processed: number(run.data.processed),
          total: number(run.data.total),
        })}
      </p>
      <progress max={1} value={share} aria-label={percent(share)} />
    </div>
  );
}
