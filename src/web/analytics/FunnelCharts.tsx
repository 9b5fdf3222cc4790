import { useEffect, useMemo, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** One line of the rate chart: a group (or all leads) and its rate per month, null where none. */
export interface RateLine {
  label: string;
  rates: (number | null)[];
}

const AXIS = '#5b6675';
const GRID = { stroke: '#eef1f5', width: 1 };
const NARROW = '(max-width: 639px)';
const LINE_COLOURS = ['#c2410c', '#2563eb', '#1f7a3a', '#7c3aed', '#0891b2', '#be185d'];

/** Draws a uPlot chart into a box that follows its width. */
type ChartSpec = { options: Omit<uPlot.Options, 'width'>; data: uPlot.AlignedData };

function useChart(spec: ChartSpec | null) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = host.current;
    if (!element || !spec) return;
    const chart = new uPlot({ ...spec.options, width: element.clientWidth }, spec.data, element);
    const resize = new ResizeObserver(() => chart.setSize({ width: element.clientWidth, height: spec.options.height }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [spec]);
  return host;
}

/** Stage names side by side need about 80 px each: on a phone's width they are slanted. */
function useNarrowScreen() {
  const [narrow, setNarrow] = useState(() => window.matchMedia(NARROW).matches);
  useEffect(() => {
    const query = window.matchMedia(NARROW);
    const change = () => setNarrow(query.matches);
    query.addEventListener('change', change);
    return () => query.removeEventListener('change', change);
  }, []);
  return narrow;
}

/** Labels for an index axis: the label at each whole index, nothing between. */
function indexValues(labels: readonly string[]) {
  return (_: uPlot, splits: number[]) => splits.map((split) => (Number.isInteger(split) ? (labels[split] ?? '') : ''));
}

/**
 * Bars of how many leads reached each stage (uPlot, loaded with this chunk). The page shows the
 * same figures in a table beside it; the chart is a picture of them (`aria-hidden` there).
 */
export function StageBars({
  labels,
  counts,
  format,
}: {
  labels: string[];
  counts: number[];
  format: (value: number) => string;
}) {
  const narrow = useNarrowScreen();
  const spec = useMemo(
    (): ChartSpec => ({
      options: {
        height: 220,
        legend: { show: false },
        cursor: { show: false },
        scales: {
          x: { time: false, range: [-0.5, labels.length - 0.5] },
          y: { range: (_, __, max) => [0, Math.max(1, max) * 1.1] },
        },
        axes: [
          narrow
            ? {
                stroke: AXIS,
                grid: { show: false },
                incrs: [1],
                space: 10,
                values: indexValues(labels),
                rotate: 40,
                // Room for the longest name, slanted: about 4.5 px of height a character.
                size: Math.min(110, 16 + Math.max(...labels.map((label) => label.length)) * 4.5),
                font: '11px system-ui',
              }
            : { stroke: AXIS, grid: { show: false }, incrs: [1], space: 10, values: indexValues(labels), size: 30 },
          { stroke: AXIS, grid: GRID, size: 44, values: (_, splits) => splits.map(format) },
        ],
        series: [
          {},
          {
            label: '',
            fill: '#fb923c',
            stroke: '#c2410c',
            width: 1,
            paths: uPlot.paths.bars?.({ size: [0.7, 80] }),
            points: { show: false },
          },
        ],
      },
      data: [labels.map((_, index) => index), counts],
    }),
    [labels, counts, format, narrow],
  );
  const host = useChart(spec);
  return <div ref={host} className="report-chart" />;
}

/** Lines of the MQL → SQL rate of each month's cohort, one per group (or one for all leads). */
export function RateLines({
  months,
  lines,
  percent,
  monthTitle,
}: {
  months: string[];
  lines: RateLine[];
  percent: (share: number) => string;
  /** The legend's name for the month under the cursor. */
  monthTitle: string;
}) {
  const spec = useMemo((): ChartSpec | null => {
    if (months.length === 0) return null;
    return {
      options: {
        height: 220,
        legend: { show: lines.length > 1 },
        scales: { x: { time: false }, y: { range: [0, 1] } },
        axes: [
          {
            stroke: AXIS,
            grid: { show: false },
            space: 44,
            incrs: [1, 2, 3, 4, 6, 12],
            values: indexValues(months),
            size: 30,
          },
          { stroke: AXIS, grid: GRID, size: 48, incrs: [0.1, 0.25, 0.5], values: (_, splits) => splits.map(percent) },
        ],
        series: [
          { label: monthTitle, value: (_, index) => (index === null ? '' : (months[index] ?? '')) },
          ...lines.map((line, index) => ({
            label: line.label,
            stroke: LINE_COLOURS[index % LINE_COLOURS.length],
            width: index === 0 ? 2 : 1.5,
            spanGaps: false,
            value: (_: uPlot, rate: number | null) => (rate === null ? '–' : percent(rate)),
            points: { show: true, size: 5 },
          })),
        ],
      },
      data: [months.map((_, index) => index), ...lines.map((line) => line.rates)],
    };
  }, [months, lines, percent, monthTitle]);
  const host = useChart(spec);
  return <div ref={host} className="report-chart" />;
}
