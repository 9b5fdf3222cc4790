import type {
  GradeTemperatureReport,
  RecycleReport,
  RevenueReport,
  RevenueRow,
  Split,
} from '../../core/insight/report-types.ts';
import { GRADES } from '../../core/scoring/grades.ts';
import { TEMPERATURES_HOT_FIRST } from '../app/types.ts';
import { useFormat } from '../i18n/use-format.ts';
import { FigureLink } from './FigureLink.tsx';
import { ReportCard, ReportTable } from './ReportCard.tsx';
import type { ReportParams } from './report-params.ts';
import { useReport } from './use-report.ts';

/** Leads sent back to nurture in the period, by reason, and how many came back as MQLs. */
export function RecycleCard({ params }: { params: ReportParams }) {
  const { t, percent, duration } = useFormat();
  const query = useReport<RecycleReport>('recycle', params, null);
  return (
    <ReportCard
      id="report-recycle"
      title={t('analytics.recycle')}
      query={query}
      isEmpty={(report) => report.total.recycled.count === 0}
      empty={t('analytics.noRecycled')}
    >
      {(report) => (
        <ReportTable
          rows={t('analytics.reason')}
          figures={[t('analytics.recycled'), t('analytics.requalified'), t('analytics.medianToRequalify')]}
        >
          {[report.total, ...report.reasons].map((row) => {
            const reason =
              row.reason === null
                ? t('analytics.allReasons')
                : row.reason === 'none'
                  ? t('analytics.noReason')
                  : row.reason;
            return (
              <tr key={row.reason ?? ''} className={row.reason === null ? 'total-row' : undefined}>
                <th scope="row" className="name-cell">
                  {reason}
                </th>
                <td className="num">
                  <FigureLink report="recycle" figure={row.recycled} label={`${t('analytics.recycled')} · ${reason}`} />
                </td>
                <td className="num">
                  <FigureLink
                    report="recycle"
                    figure={row.requalified}
                    label={`${t('analytics.requalified')} · ${reason}`}
                  />
                  {row.requalifiedRate !== null && <span className="rate">{percent(row.requalifiedRate)}</span>}
                </td>
                <td className="num">
                  {row.medianSecondsToRequalify === null ? '—' : duration(row.medianSecondsToRequalify * 1000)}
                </td>
              </tr>
            );
          })}
        </ReportTable>
      )}
    </ReportCard>
  );
}

/** The twelve grade × temperature cells the leads were judged in, with how many reached SQL and won. */
export function GradeTemperatureCard({ params }: { params: ReportParams }) {
  const { t, percent } = useFormat();
  const query = useReport<GradeTemperatureReport>('grade-temperature', params, null);
  return (
    <ReportCard
      id="report-grade-temperature"
      title={t('analytics.gradeTemperature')}
      query={query}
      isEmpty={(report) => report.total.leads.count === 0}
      empty={t('analytics.noFunnel')}
    >
      {(report) => (
        <>
          <p className="muted small">{t('analytics.gradeTemperatureHelp')}</p>
          <ReportTable
            rows={t('analytics.grade')}
            figures={TEMPERATURES_HOT_FIRST.map((temperature) => t(`temperature.${temperature}`))}
            className="grade-matrix"
          >
            {GRADES.map((grade) => (
              <tr key={grade}>
                <th scope="row">{grade}</th>
                {TEMPERATURES_HOT_FIRST.map((temperature) => {
                  const cell = report.cells.find((each) => each.grade === grade && each.temperature === temperature);
                  const name = `${grade} · ${t(`temperature.${temperature}`)}`;
                  return (
                    <td key={temperature} className="num">
                      {cell && (
                        <>
                          <FigureLink report="grade-temperature" figure={cell.leads} label={name} />
                          <span className="rate">
                            {t('analytics.toSql', { rate: cell.sqlRate === null ? '—' : percent(cell.sqlRate) })}
                          </span>
                          <span className="rate">
                            {t('analytics.toWon', { rate: cell.wonRate === null ? '—' : percent(cell.wonRate) })}
                          </span>
                        </>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </ReportTable>
        </>
      )}
    </ReportCard>
  );
}

/** Won amounts in the period by the split's groups (first-touch source unless another is picked). */
export function RevenueCard({ params, by }: { params: ReportParams; by: Split | null }) {
  const { t, number, intl } = useFormat();
  const query = useReport<RevenueReport>('revenue', params, by);
  const amount = (row: RevenueRow) => {
    if (row.currency === 'none') return number(row.amount, 2);
    try {
      return intl.formatNumber(row.amount, { style: 'currency', currency: row.currency });
    } catch {
      return `${number(row.amount, 2)} ${row.currency}`;
    }
  };
  return (
    <ReportCard
      id="report-revenue"
      title={t('analytics.revenue')}
      query={query}
      isEmpty={(report) => report.totals.length === 0}
      empty={t('analytics.noRevenue')}
    >
      {(report) => (
        <ReportTable
          rows={t(`analytics.split.${report.by}`)}
          figures={[t('analytics.amount'), t('analytics.leads')]}
          testId="revenue"
        >
          {[...report.totals, ...report.rows].map((row) => {
            const group = row.group ?? t('analytics.allGroups');
            return (
              <tr key={`${row.group}|${row.currency}`} className={row.group === null ? 'total-row' : undefined}>
                <th scope="row" className="name-cell">
                  {group}
                </th>
                <td className="num">{amount(row)}</td>
                <td className="num">
                  <FigureLink
                    report="revenue"
                    figure={row.leads}
                    label={`${t('analytics.revenue')} · ${group} · ${row.currency}`}
                  />
                  {row.deals !== row.leads.count && (
                    <span className="rate">{t('analytics.dealCount', { count: row.deals })}</span>
                  )}
                </td>
              </tr>
            );
          })}
        </ReportTable>
      )}
    </ReportCard>
  );
}
