import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { BacktestWeek } from './playbook-api.ts';

const AXIS = '#5b6675';
const GRID = { stroke: '#eef1f5', width: 1 };
const HEIGHT = 220;

/**
 * MQLs per ISO week under the published playbook and under the draft (uPlot, loaded with this
 * chunk): the sales inbox's load. The same figures are in the table below it, so the chart is
 * a picture of them (`aria-hidden`).
 */
export default function BacktestChart({
  weeks,
  labels,
  formatWeek,
}: {
  weeks: BacktestWeek[];
  labels: { published: string; draft: string };
  /** A week's Monday (`YYYY-MM-DD`) as the axis shows it. */
  formatWeek: (start: string) => string;
}) {
  const host = useRef<HTMLDivElement>(null);
  const options = useMemo((): Omit<uPlot.Options, 'width'> => {
    const starts = weeks.map((week) => formatWeek(week.start));
    const atIndex = (_: uPlot, splits: number[]) =>
      splits.map((split) => (Number.isInteger(split) ? (starts[split] ?? '') : ''));
    return {
      height: HEIGHT,
      legend: { show: true, live: false },
      cursor: { show: false },
      scales: {
        x: { time: false, range: [-0.25, Math.max(weeks.length - 0.75, 0.75)] },
        y: { range: (_, __, max) => [0, Math.max(4, Math.ceil(max * 1.15))] },
      },
      axes: [
        { stroke: AXIS, grid: { show: false }, space: 56, incrs: [1, 2, 4, 8, 13, 26], values: atIndex, size: 30 },
        {
          stroke: AXIS,
          grid: GRID,
          size: 40,
          incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000],
          values: (_, splits) => splits.map((split) => String(split)),
        },
      ],
      series: [
        {},
        { label: labels.published, stroke: AXIS, width: 2, dash: [6, 4], points: { show: true, size: 5 } },
        { label: labels.draft, stroke: '#c2410c', width: 2, points: { show: true, size: 5 } },
      ],
    };
  }, [weeks, labels, formatWeek]);
  useEffect(() => {
    const element = host.current;
    if (!element || weeks.length === 0) return;
    const data: uPlot.AlignedData = [
      weeks.map((_, index) => index),
      weeks.map((week) => week.published),
      weeks.map((week) => week.draft),
    ];
    const chart = new uPlot({ ...options, width: element.clientWidth }, data, element);
    const resize = new ResizeObserver(() => chart.setSize({ width: element.clientWidth, height: HEIGHT }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [options, weeks]);
  return <div ref={host} className="report-chart" aria-hidden="true" data-testid="backtest-chart" />;
}
