import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useCallback } from 'react';
import { useSearchParams } from 'react-router';
import {
  type FunnelReport,
  REPORT_SPLITS,
  type ReportCatalog,
  type ReportName,
  type Split,
} from '../../core/insight/report-types.ts';
import { api } from '../app/api.ts';
import { ErrorNotice, Loading } from '../app/ui.tsx';
import { useFormat } from '../i18n/use-format.ts';
import { type OpenLeads, OpenLeadsContext } from './FigureLink.tsx';
import { FunnelView } from './FunnelView.tsx';
import { LeadsBehind } from './LeadsBehind.tsx';
import { GradeTemperatureCard, RecycleCard, RevenueCard } from './OutcomeCards.tsx';
import { PeriodDates, PeriodPresets } from './PeriodFields.tsx';
import { type ReportParams, readOpenFigure, readReportParams } from './report-params.ts';
import { SlaCard, TimeInStageCard } from './StageAndSlaCards.tsx';
import { useReport } from './use-report.ts';

/** The page's reports, in order, as the links of `JumpLinks` name them. */
const SECTIONS = [
  ['report-funnel', 'analytics.funnel'],
  ['report-time-in-stage', 'analytics.timeInStage'],
  ['report-sla', 'analytics.sla'],
  ['report-recycle', 'analytics.recycle'],
  ['report-grade-temperature', 'analytics.gradeTemperature'],
  ['report-revenue', 'analytics.revenue'],
] as const;

/** The split a report is asked for: only the funnel and revenue take one. */
function splitFor(report: ReportName, by: Split | null): Split | null {
  return report === 'funnel' || report === 'revenue' ? by : null;
}

/**
 * What works: the funnel and five more reports for a period and split kept in the URL, every
 * figure opening the leads behind it.
 */
export function AnalyticsPage() {
  const { t } = useFormat();
  const [search, setSearch] = useSearchParams();
  const params = readReportParams(search, new Date());
  const figure = readOpenFigure(search);
  const catalog = useQuery({ queryKey: ['report-catalog'], queryFn: () => api<ReportCatalog>('/api/reports') });
  const funnel = useReport<FunnelReport>('funnel', params, params.by);
  const update = useCallback(
    (changes: Record<string, string | null>) =>
      setSearch(
        (current) => {
          const next = new URLSearchParams(current);
          for (const [key, value] of Object.entries(changes)) {
            if (value === null || value === '') next.delete(key);
            else next.set(key, value);
          }
          return next;
        },
        { replace: true },
      ),
    [setSearch],
  );
  const open = useCallback<OpenLeads>((report, cell, label) => update({ report, cell, figure: label }), [update]);
  const close = useCallback(() => update({ report: null, cell: null, figure: null }), [update]);
  // Until the catalogue answers, the splits this build knows: the picker shows the URL's split at once.
  const splits =
    catalog.data?.reports.find((report) => report.name === 'funnel')?.splits ?? REPORT_SPLITS.funnel.splits;
  return (
    <OpenLeadsContext.Provider value={open}>
      <div className={figure ? 'page analytics-page with-panel' : 'page analytics-page'}>
        <h1>{t('analytics.title')}</h1>
        <PeriodForm
          params={params}
          splits={splits}
          onChange={(changes) => update({ ...changes, report: null, cell: null, figure: null })}
        />
        <JumpLinks />
        <div className="analytics-body">
          <div className="analytics-reports">
            {funnel.isPending ? (
              <Loading />
            ) : funnel.isError ? (
              <ErrorNotice error={funnel.error} retry={() => funnel.refetch()} />
            ) : (
              <FunnelView report={funnel.data} />
            )}
            <div className="grid analytics-grid">
              <TimeInStageCard params={params} />
              <SlaCard params={params} />
              <RecycleCard params={params} />
              <GradeTemperatureCard params={params} />
              <RevenueCard params={params} by={params.by} />
            </div>
          </div>
          {figure && (
            <LeadsBehind
              key={`${figure.report}|${figure.cell}`}
              figure={figure}
              params={params}
              by={splitFor(figure.report, params.by)}
              onClose={close}
            />
          )}
        </div>
      </div>
    </OpenLeadsContext.Provider>
  );
}

/**
 * Links to each report of the page, shown on narrow screens, where the reports stand one under
 * the other: the page is then several screens long.
 */
function JumpLinks() {
  const { t } = useFormat();
  return (
    <nav className="report-jump" aria-label={t('analytics.jumpTo')}>
      <span className="muted small">{t('analytics.jumpTo')}</span>
      {SECTIONS.map(([id, title]) => (
        <a key={id} href={`#${id}`} className="chip-link">
          {t(title)}
        </a>
      ))}
    </nav>
  );
}

/** The period (two dates and three presets) and the split, written to the URL as they change. */
function PeriodForm({
  params,
  splits,
  onChange,
}: {
  params: ReportParams;
  splits: readonly Split[];
  onChange: (changes: Record<string, string | null>) => void;
}) {
  const { t } = useFormat();
  const today = new Date();
  const submit = (event: FormEvent<HTMLFormElement>) => event.preventDefault();
  return (
    <form className="filters report-filters" onSubmit={submit} aria-label={t('analytics.period')}>
      <PeriodDates idPrefix="report" period={params} onChange={(change) => onChange({ ...change })} />
      <PeriodPresets period={params} end={today} onPick={(period) => onChange({ ...period })} />
      <div className="field">
        <label htmlFor="report-by">{t('analytics.splitBy')}</label>
        <select
          id="report-by"
          value={params.by ?? ''}
          onChange={(event) => onChange({ by: event.target.value || null })}
        >
          <option value="">{t('analytics.noSplit')}</option>
          {splits.map((split) => (
            <option key={split} value={split}>
              {t(`analytics.split.${split}`)}
            </option>
          ))}
        </select>
      </div>
    </form>
  );
}
