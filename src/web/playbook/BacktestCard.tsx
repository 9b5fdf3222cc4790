import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { type Period, PeriodDates, PeriodPresets } from '../analytics/PeriodFields.tsx';
import { apiPeriod, presetPeriod } from '../analytics/report-params.ts';
import { ApiError, api } from '../app/api.ts';
import { Card, ErrorNotice } from '../app/ui.tsx';
import { useFormat } from '../i18n/use-format.ts';
import { BacktestResult } from './BacktestResult.tsx';
import type { BacktestRun } from './playbook-api.ts';
import './backtest-card.css';

const DAY_MS = 86_400_000;

/** The run shown, and the draft it was started with (null: started elsewhere, followed after a 409). */
interface Followed {
  id: string;
  source: string | null;
}

/** Presets end yesterday (UTC), as the API's default does: runs on one day agree, today is not over. */
function lastFullDay(): Date {
  return new Date(Date.now() - DAY_MS);
}

/** The running run's id a 409 names, so the card follows that one instead. */
function runningId(error: unknown): string | null {
  if (!(error instanceof ApiError) || error.status !== 409) return null;
  const details = error.details;
  return typeof details === 'object' && details !== null && 'id' in details && typeof details.id === 'string'
    ? details.id
    : null;
}

/**
 * Replays a past period under the draft and under the published playbook on the server, in the
 * background: the progress while it runs (polled every second), then the side by side.
 */
export function BacktestCard({ source, disabled }: { source: string; disabled: boolean }) {
  const { t, number, percent } = useFormat();
  const client = useQueryClient();
  const [period, setPeriod] = useState<Period>(() => presetPeriod(3, lastFullDay()));
  const [followed, setFollowed] = useState<Followed | null>(null);
  const start = useMutation({
    mutationFn: (draft: string) =>
      api<BacktestRun>('/api/backtest/runs', {
        method: 'POST',
        body: { draft, ...apiPeriod({ ...period, by: null }) },
      }),
    onSuccess: (run, draft) => {
      client.setQueryData(['backtest-run', run.id], run);
      setFollowed({ id: run.id, source: draft });
    },
    onError: (error) => {
      const id = runningId(error);
      if (id) setFollowed({ id, source: null });
    },
  });
  const run = useQuery({
    queryKey: ['backtest-run', followed?.id],
    queryFn: () => api<BacktestRun>(`/api/backtest/runs/${followed?.id}`),
    enabled: followed !== null,
    // Every second while it runs; not after an error (a restarted server has forgotten it).
    refetchInterval: (query) =>
      query.state.status !== 'error' && query.state.data?.status === 'running' ? 1000 : false,
  });
  const cancel = useMutation({
    mutationFn: (id: string) => api<BacktestRun>(`/api/backtest/runs/${id}`, { method: 'DELETE' }),
    onSuccess: (cancelled) => client.setQueryData(['backtest-run', cancelled.id], cancelled),
  });
  // A run the server no longer knows (restarted, or kept past its hour) is shown as the error alone.
  const current = followed && !run.isError ? run.data : undefined;
  const running = current?.status === 'running';
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    start.mutate(source);
  };
  return (
    <Card title={t('playbook.backtest.title')}>
      <p className="muted small">{t('playbook.backtest.intro')}</p>
      <PeriodForm
        period={period}
        onChange={setPeriod}
        onSubmit={submit}
        disabled={disabled || running || start.isPending || period.from > period.to}
      />
      {start.isError && runningId(start.error) === null && <ErrorNotice error={start.error} />}
      {start.isError && runningId(start.error) !== null && running && (
        <p className="notice warn" role="status">
          {t('playbook.backtest.attached')}
        </p>
      )}
      {run.isError && <ErrorNotice error={run.error} retry={() => run.refetch()} />}
      {current && running && (
        <div className="backtest-progress" role="status" data-testid="backtest-progress">
          <p>
            {current.total === 0
              ? t('playbook.backtest.starting')
              : t('playbook.backtest.progress', { done: number(current.done), total: number(current.total) })}
          </p>
          <progress
            max={1}
            value={current.total === 0 ? 0 : current.done / current.total}
            aria-label={percent(current.total === 0 ? 0 : current.done / current.total)}
          />
          <button
            type="button"
            className="button"
            disabled={cancel.isPending}
            onClick={() => cancel.mutate(current.id)}
          >
            {t('common.cancel')}
          </button>
        </div>
      )}
      {cancel.isError && <ErrorNotice error={cancel.error} />}
      {current?.status === 'cancelled' && (
        <p className="notice warn" role="status">
          {t('playbook.backtest.cancelled')}
        </p>
      )}
      {current?.status === 'failed' && (
        <p className="notice error" role="alert">
          {t('playbook.backtest.failed')}
        </p>
      )}
      {current?.status === 'done' && current.report && followed && (
        <>
          {followed.source === null ? (
            <p className="notice warn" role="status">
              {t('playbook.backtest.elsewhere')}
            </p>
          ) : (
            followed.source !== source && (
              <p className="notice warn" role="status">
                {t('playbook.backtest.stale')}
              </p>
            )
          )}
          <BacktestResult report={current.report} />
        </>
      )}
    </Card>
  );
}

/** Two days (the last one included) and three presets, as on the analytics page. */
function PeriodForm({
  period,
  onChange,
  onSubmit,
  disabled,
}: {
  period: Period;
  onChange: (period: Period) => void;
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
  disabled: boolean;
}) {
  const { t } = useFormat();
  const lastDay = lastFullDay();
  const today = new Date().toISOString().slice(0, 10);
  return (
    <form className="filters report-filters" onSubmit={onSubmit} aria-label={t('playbook.backtest.period')}>
      <PeriodPresets period={period} end={lastDay} onPick={onChange} />
      <PeriodDates
        idPrefix="backtest"
        period={period}
        latest={today}
        onChange={(change) => onChange({ ...period, ...change })}
      />
      <button type="submit" className="button primary" disabled={disabled}>
        {t('playbook.backtest.run')}
      </button>
    </form>
  );
}
