import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { api } from '../app/api.ts';
import { Card, ErrorNotice, Loading } from '../app/ui.tsx';
import { useFormat } from '../i18n/use-format.ts';

interface Point {
  at: string;
  fit: number;
  engagement: number;
  score: number;
}

/** The score, fit and engagement at the end of each of the last 90 days (uPlot, loaded with the chart). */
export default function ScoreChart({ contactId }: { contactId: string }) {
  const { t, points, date } = useFormat();
  const history = useQuery({
    queryKey: ['score-history', contactId],
    queryFn: () => api<{ items: Point[] }>(`/api/contacts/${contactId}/score-history`),
  });
  const host = useRef<HTMLDivElement>(null);
  const items = history.data?.items;
  useEffect(() => {
    const element = host.current;
    if (!element || !items || items.length === 0) return;
    const data: uPlot.AlignedData = [
      items.map((item) => Date.parse(item.at) / 1000),
      items.map((item) => item.score),
      items.map((item) => item.fit),
      items.map((item) => item.engagement),
    ];
    const chart = new uPlot(
      {
        width: element.clientWidth,
        height: 180,
        legend: { show: true },
        scales: { y: { range: [0, 100] } },
        axes: [{ stroke: '#5b6675' }, { stroke: '#5b6675', size: 36 }],
        series: [
          {},
          { label: t('lead.score'), stroke: '#c2410c', width: 2 },
          { label: t('lead.fit'), stroke: '#2563eb', width: 1, dash: [4, 3] },
          { label: t('lead.engagement'), stroke: '#1f7a3a', width: 1 },
        ],
      },
      data,
      element,
    );
    const resize = new ResizeObserver(() => chart.setSize({ width: element.clientWidth, height: 180 }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [items, t]);
  const first = items?.[0];
  const last = items?.at(-1);
  return (
    <Card title={t('chart.title')}>
      {history.isPending ? (
        <Loading />
      ) : history.isError ? (
        <ErrorNotice error={history.error} retry={() => history.refetch()} />
      ) : (
        <>
          <div
            ref={host}
            className="score-chart"
            role="img"
            aria-label={
              first && last
                ? t('chart.summary', { from: points(first.score), to: points(last.score), since: date(first.at) })
                : t('chart.title')
            }
          />
          <p className="muted small">{t('chart.note')}</p>
        </>
      )}
    </Card>
  );
}
