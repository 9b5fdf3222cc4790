import { isReportName, isSplit, type ReportName, type Split } from '../../core/insight/report-types.ts';

/** The period and split every report on the analytics page is read for, as kept in the URL. */
export interface ReportParams {
  /** First day, `YYYY-MM-DD`, included. */
  from: string;
  /** Last day, `YYYY-MM-DD`, included (the API's `to` is the day after). */
  to: string;
  by: Split | null;
}

/** The figure whose leads are listed: its report and cell, also kept in the URL. */
export interface OpenFigure {
  report: ReportName;
  cell: string;
  label: string;
}

export const PRESET_MONTHS = [3, 6, 12] as const;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The first and last day of the `months` months up to and including `today` (UTC). */
export function presetPeriod(months: number, today: Date): { from: string; to: string } {
  const from = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - months, today.getUTCDate() + 1));
  return { from: isoDay(from), to: isoDay(today) };
}

function validDay(value: string | null): value is string {
  return value !== null && DATE.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
}

export function readReportParams(search: URLSearchParams, today: Date): ReportParams {
  const fallback = presetPeriod(12, today);
  const from = search.get('from');
  const to = search.get('to');
  const by = search.get('by');
  return {
    from: validDay(from) ? from : fallback.from,
    to: validDay(to) ? to : fallback.to,
    by: by && isSplit(by) ? by : null,
  };
}

export function readOpenFigure(search: URLSearchParams): OpenFigure | null {
  const report = search.get('report');
  const cell = search.get('cell');
  if (!report || !isReportName(report) || !cell) return null;
  return { report, cell, label: search.get('figure') ?? '' };
}

/** The query every report request sends: `to` is exclusive, so the day after the last day. */
export function apiPeriod(params: ReportParams): { from: string; to: string } {
  const last = new Date(`${params.to}T00:00:00Z`);
  last.setUTCDate(last.getUTCDate() + 1);
  return { from: params.from, to: isoDay(last) };
}
