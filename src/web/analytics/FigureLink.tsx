import { createContext, useContext } from 'react';
import type { Figure, ReportName } from '../../core/insight/report-types.ts';
import { useFormat } from '../i18n/use-format.ts';

/** Opens the leads behind a figure; the analytics page provides it, every figure button calls it. */
export type OpenLeads = (report: ReportName, cell: string, label: string) => void;

export const OpenLeadsContext = createContext<OpenLeads>(() => undefined);

/**
 * A count that opens the leads behind it. `label` says what the figure is ("SQL · March 2026"),
 * for the list's heading and for screen readers, who hear the number without its table around it.
 */
export function FigureLink({
  report,
  figure,
  label,
  className,
}: {
  report: ReportName;
  figure: Figure;
  label: string;
  className?: string;
}) {
  const open = useContext(OpenLeadsContext);
  const { t, number } = useFormat();
  if (figure.count === 0) return <span className={className}>{number(0)}</span>;
  return (
    <button
      type="button"
      className={className ? `figure-link ${className}` : 'figure-link'}
      title={t('analytics.showLeads', { figure: label })}
      aria-label={`${number(figure.count)} — ${t('analytics.showLeads', { figure: label })}`}
      onClick={() => open(report, figure.cell, label)}
    >
      {number(figure.count)}
    </button>
  );
}
