import { useInfiniteQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import type { ReportLeadsPage } from '../../core/insight/report-types.ts';
import { api } from '../app/api.ts';
import { ErrorNotice, Loading, StageBadge } from '../app/ui.tsx';
import { useFormat } from '../i18n/use-format.ts';
import { apiPeriod, type OpenFigure, type ReportParams } from './report-params.ts';

/**
 * The leads behind one figure, a page at a time, in a panel beside the reports. It asks with the
 * same period and split as the report the figure came from, as the API requires.
 */
export function LeadsBehind({
  figure,
  params,
  by,
  onClose,
}: {
  figure: OpenFigure;
  params: ReportParams;
  by: string | null;
  onClose: () => void;
}) {
  const { t, points } = useFormat();
  const period = apiPeriod(params);
  const heading = useRef<HTMLHeadingElement>(null);
  const list = useInfiniteQuery({
    queryKey: ['report-leads', figure.report, figure.cell, period.from, period.to, by],
    queryFn: ({ pageParam }) =>
      api<ReportLeadsPage>(`/api/reports/${figure.report}/leads`, {
        query: { ...period, by, cell: figure.cell, limit: 50, cursor: pageParam },
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  // The panel opens from a button far down the page: take the reader (and focus) to it. The page
  // keys the panel by figure, so this runs once per figure opened.
  useEffect(() => {
    heading.current?.focus();
  }, []);
  useEffect(() => {
    const close = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', close);
    return () => window.removeEventListener('keydown', close);
  }, [onClose]);
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <aside className="leads-behind" aria-labelledby="leads-behind-title" data-testid="leads-behind">
      <div className="card-head">
        <h2 id="leads-behind-title" ref={heading} tabIndex={-1}>
          {figure.label || t('analytics.leadsBehind')}
        </h2>
        <button type="button" className="button ghost" onClick={onClose}>
          {t('analytics.close')}
        </button>
      </div>
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorNotice error={list.error} retry={() => list.refetch()} />
      ) : items.length === 0 ? (
        <p className="muted">{t('analytics.noLeads')}</p>
      ) : (
        <>
          <ul className="plain-list leads-behind-list">
            {items.map((lead) => (
              <li key={lead.id} className="report-lead">
                <span className="report-lead-who">
                  <Link to={`/leads/${lead.id}`} className="lead-link">
                    {lead.name ?? lead.email ?? lead.id}
                  </Link>
                  {lead.name && lead.email && <span className="sub">{lead.email}</span>}
                  {lead.owner && <span className="sub">{t('analytics.ownedBy', { owner: lead.owner })}</span>}
                </span>
                <StageBadge stage={lead.stage} />
                <span className="num">{t('analytics.points', { points: points(lead.score) })}</span>
              </li>
            ))}
          </ul>
          <p className="muted small" role="status">
            {t('analytics.shown', { count: items.length })}
          </p>
          {list.hasNextPage && (
            <button
              type="button"
              className="button load-more"
              disabled={list.isFetchingNextPage}
              onClick={() => list.fetchNextPage()}
            >
              {list.isFetchingNextPage ? t('common.loading') : t('analytics.loadMore')}
            </button>
          )}
        </>
      )}
    </aside>
  );
}
