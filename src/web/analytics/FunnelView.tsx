import { lazy, Suspense, useMemo } from 'react';
import { FUNNEL_STAGES, type FunnelReport, type FunnelRow } from '../../core/insight/report-types.ts';
import { Card, Loading } from '../app/ui.tsx';
import { useFormat } from '../i18n/use-format.ts';
import { FigureLink } from './FigureLink.tsx';
import { ReportTable } from './ReportCard.tsx';

/** uPlot comes with the charts' own chunk, out of the first page's JavaScript. */
const StageBars = lazy(() => import('./FunnelCharts.tsx').then((module) => ({ default: module.StageBars })));
const RateLines = lazy(() => import('./FunnelCharts.tsx').then((module) => ({ default: module.RateLines })));

/** How many groups the rate chart draws a line for, besides all leads: more would not be read. */
const CHART_GROUPS = 4;

function figureOf(row: FunnelRow, stage: string) {
  return row.stages.find((each) => each.stage === stage);
}

/** MQL → SQL of one row: the headline's rate, per month or group. */
function mqlToSql(row: FunnelRow): number | null {
  const mql = figureOf(row, 'mql')?.count ?? 0;
  const sql = figureOf(row, 'sql')?.count ?? 0;
  return mql === 0 ? null : sql / mql;
}

/** "March 2026" (long), "Mar 2026" (short) or "Mar 26" (axis) for a `YYYY-MM` month, in the reader's language. */
export function useMonthLabel() {
  const { intl } = useFormat();
  return useMemo(
    () =>
      (month: string, form: 'long' | 'short' | 'axis' = 'long') => {
        const [year, index] = month.split('-').map(Number);
        return intl.formatDate(Date.UTC(year ?? 1970, (index ?? 1) - 1, 1), {
          timeZone: 'UTC',
          month: form === 'long' ? 'long' : 'short',
          year: form === 'axis' ? '2-digit' : 'numeric',
        });
      },
    [intl],
  );
}

/** The funnel: the MQL → SQL headline, the stage counts, the monthly cohorts and the groups of a split. */
export function FunnelView({ report }: { report: FunnelReport }) {
  const { t, number, percent } = useFormat();
  const monthLabel = useMonthLabel();
  const { whole, groups, months } = useMemo(
    () => ({
      whole: report.rows.find((row) => row.month === null && row.group === null),
      groups: report.rows.filter((row) => row.month === null && row.group !== null),
      months: report.rows.filter((row) => row.month !== null && row.group === null),
    }),
    [report],
  );
  // The API lists every month, then every month's groups: here each month is followed by its own.
  const cohortRows = useMemo(
    () =>
      months.flatMap((month) => [
        month,
        ...report.rows.filter((row) => row.month === month.month && row.group !== null),
      ]),
    [months, report],
  );
  const stageLabels = useMemo(() => FUNNEL_STAGES.map((stage) => t(`stage.${stage}`)), [t]);
  const stageCounts = useMemo(
    () => FUNNEL_STAGES.map((stage) => (whole ? (figureOf(whole, stage)?.count ?? 0) : 0)),
    [whole],
  );
  const chartMonths = useMemo(() => months.map((row) => monthLabel(row.month ?? '', 'axis')), [months, monthLabel]);
  const lines = useMemo(() => {
    const all = { label: t('analytics.allLeads'), rates: months.map(mqlToSql) };
    const top = groups.slice(0, CHART_GROUPS).map((group) => ({
      label: group.group ?? '',
      rates: months.map((month) => {
        const row = report.rows.find((each) => each.month === month.month && each.group === group.group);
        return row ? mqlToSql(row) : null;
      }),
    }));
    return [all, ...top];
  }, [report, t, groups, months]);
  if (!whole || (figureOf(whole, 'lead')?.count ?? 0) === 0) {
    return (
      <Card title={t('analytics.funnel')} id="report-funnel">
        <p className="empty">{t('analytics.noFunnel')}</p>
      </Card>
    );
  }
  return (
    <>
      <div className="funnel-head">
        <Card title={t('analytics.headline')} id="report-funnel">
          <p className="big-figure" data-testid="mql-sql-rate">
            {report.headline.rate === null ? '—' : percent(report.headline.rate)}
          </p>
          <p className="muted">
            {t('analytics.headlineOf')}{' '}
            <FigureLink
              report="funnel"
              figure={report.headline.sql}
              label={t('analytics.reachedStage', { stage: 'SQL' })}
            />
            {' / '}
            <FigureLink
              report="funnel"
              figure={report.headline.mql}
              label={t('analytics.reachedStage', { stage: 'MQL' })}
            />
          </p>
          <p className="muted small">{t('analytics.headlineHelp')}</p>
        </Card>
        <Card title={t('analytics.stages')}>
          <div aria-hidden="true">
            <Suspense fallback={<Loading />}>
              <StageBars labels={stageLabels} counts={stageCounts} format={number} />
            </Suspense>
          </div>
          <StageTable row={whole} />
        </Card>
      </div>
      {groups.length > 0 && report.by && (
        <Card title={t(`analytics.split.${report.by}`)}>
          <CohortTable rows={groups} head={t(`analytics.split.${report.by}`)} name={(row) => row.group ?? ''} />
        </Card>
      )}
      <Card title={t('analytics.cohorts')} id="report-cohorts">
        <p className="muted small">{t('analytics.cohortsHelp')}</p>
        <div aria-hidden="true">
          <Suspense fallback={<Loading />}>
            <RateLines months={chartMonths} lines={lines} percent={percent} monthTitle={t('analytics.month')} />
          </Suspense>
        </div>
        <CohortTable
          rows={cohortRows}
          head={t('analytics.month')}
          name={(row) => (row.group === null ? monthLabel(row.month ?? '', 'short') : row.group)}
        />
      </Card>
    </>
  );
}

/** The whole period's stages: how many reached each and the share of the stage before. */
function StageTable({ row }: { row: FunnelRow }) {
  const { t, percent } = useFormat();
  return (
    <ReportTable
      rows={t('analytics.stage')}
      figures={[t('analytics.leads'), t('analytics.fromPrevious')]}
      caption={t('analytics.stages')}
      testId="funnel-stages"
    >
      {row.stages.map((stage) => (
        <tr key={stage.stage}>
          <th scope="row">{t(`stage.${stage.stage}`)}</th>
          <td className="num">
            <FigureLink
              report="funnel"
              figure={stage}
              label={t('analytics.reachedStage', { stage: t(`stage.${stage.stage}`) })}
            />
          </td>
          <td className="num">{stage.rate === null ? '—' : percent(stage.rate)}</td>
        </tr>
      ))}
    </ReportTable>
  );
}

/** Rows of stage counts with the rate from the stage before: months, groups, or months and their groups. */
function CohortTable({ rows, head, name }: { rows: FunnelRow[]; head: string; name: (row: FunnelRow) => string }) {
  const { t, percent } = useFormat();
  const monthLabel = useMonthLabel();
  // With a split, each month's groups follow it: the month rows then read as headings.
  const nested = rows.some((row) => row.month !== null && row.group !== null);
  return (
    <ReportTable
      rows={head}
      figures={[...FUNNEL_STAGES.map((stage) => t(`stage.${stage}`)), t('analytics.mqlToSql')]}
      className="cohort-table"
    >
      {rows.map((row) => {
        const what = [row.month && monthLabel(row.month), row.group].filter(Boolean).join(' · ');
        const rate = mqlToSql(row);
        return (
          <tr
            key={`${row.month}|${row.group}`}
            className={row.month && row.group ? 'sub-row' : nested && row.month ? 'total-row' : undefined}
          >
            <th scope="row">{name(row)}</th>
            {row.stages.map((stage) => (
              <td key={stage.stage} className="num">
                <FigureLink report="funnel" figure={stage} label={`${t(`stage.${stage.stage}`)} · ${what}`} />
                {stage.rate !== null && stage.count > 0 && <span className="rate">{percent(stage.rate)}</span>}
              </td>
            ))}
            <td className="num">{rate === null ? '—' : percent(rate)}</td>
          </tr>
        );
      })}
    </ReportTable>
  );
}
