import type {
  GradeTemperatureReport,
  RecycleReport,
  RevenueReport,
  RevenueRow,
  Split,
} from '../../core/insight/report-types.ts';
import { GRADES } from '../../core/scoring/grades.ts';
import { TEMPERATURES_HOT_FIRST } from '../app/types.ts';
import { Card, ErrorNotice, Loading } from '../app/ui.tsx';
import { useFormat } from '../i18n/use-format.ts';
import { FigureLink } from './FigureLink.tsx';
import type { ReportParams } from './report-params.ts';
import { useReport } from './use-report.ts';

/** Leads sent back to nurture in the period, by reason, and how many came back as MQLs. */
export function RecycleCard({ params }: { params: ReportParams }) {
  const { t, percent, duration } = useFormat();
  const query = useReport<RecycleReport>('recycle', params, null);
  const report = query.data;
  return (
    <Card title={t('analytics.recycle')}>
      {query.isPending ? (
        <Loading />
      ) : query.isError || !report ? (
        <ErrorNotice error={query.error} retry={() => query.refetch()} />
      ) : report.total.recycled.count === 0 ? (
        <p className="muted">{t('analytics.noRecycled')}</p>
      ) : (
        <div className="table-scroll">
          <table className="table compact report-table">
            <thead>
              <tr>
                <th scope="col">{t('analytics.reason')}</th>
                <th scope="col" className="num">
                  {t('analytics.recycled')}
                </th>
                <th scope="col" className="num">
                  {t('analytics.requalified')}
                </th>
                <th scope="col" className="num">
                  {t('analytics.medianToRequalify')}
                </th>
              </tr>
            </thead>
            <tbody>
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
                      <FigureLink
                        report="recycle"
                        figure={row.recycled}
                        label={`${t('analytics.recycled')} · ${reason}`}
                      />
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
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}

/** The twelve grade × temperature cells the leads were judged in, with how many reached SQL and won. */
export function GradeTemperatureCard({ params }: { params: ReportParams }) {
  const { t, percent } = useFormat();
  const query = useReport<GradeTemperatureReport>('grade-temperature', params, null);
  const report = query.data;
  return (
    <Card title={t('analytics.gradeTemperature')}>
      {query.isPending ? (
        <Loading />
      ) : query.isError || !report ? (
        <ErrorNotice error={query.error} retry={() => query.refetch()} />
      ) : report.total.leads.count === 0 ? (
        <p className="muted">{t('analytics.noFunnel')}</p>
      ) : (
        <>
          <p className="muted small">{t('analytics.gradeTemperatureHelp')}</p>
          <div className="table-scroll">
            <table className="table compact report-table grade-matrix">
              <thead>
                <tr>
                  <th scope="col">{t('analytics.grade')}</th>
                  {TEMPERATURES_HOT_FIRST.map((temperature) => (
                    <th key={temperature} scope="col" className="num">
                      {t(`temperature.${temperature}`)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {GRADES.map((grade) => (
                  <tr key={grade}>
                    <th scope="row">{grade}</th>
                    {TEMPERATURES_HOT_FIRST.map((temperature) => {
                      const cell = report.cells.find(
                        (each) => each.grade === grade && each.temperature === temperature,
                      );
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
              </tbody>
            </table>
          </div>
        </>
      )}
    </Card>
  );
}

/** Won amounts in the period by the split's groups (first-touch source unless another is picked). */
export function RevenueCard({ params, by }: { params: ReportParams; by: Split | null }) {
  const { t, number, intl } = useFormat();
  const query = useReport<RevenueReport>('revenue', params, by);
  const report = query.data;
  const amount = (row: RevenueRow) => {
    if (row.currency === 'none') return number(row.amount, 2);
    try {
      return intl.formatNumber(row.amount, { style: 'currency', currency: row.currency });
    } catch {
      return `${number(row.amount, 2)} ${row.currency}`;
    }
  };
  return (
    <Card title={t('analytics.revenue')}>
      {query.isPending ? (
        <Loading />
      ) : query.isError || !report ? (
        <ErrorNotice error={query.error} retry={() => query.refetch()} />
      ) : report.totals.length === 0 ? (
        <p className="muted">{t('analytics.noRevenue')}</p>
      ) : (
        <div className="table-scroll">
          <table className="table compact report-table" data-testid="revenue">
            <thead>
              <tr>
                <th scope="col">{t(`analytics.split.${report.by}`)}</th>
                <th scope="col" className="num">
                  {t('analytics.amount')}
                </th>
                <th scope="col" className="num">
                  {t('analytics.leads')}
                </th>
              </tr>
            </thead>
            <tbody>
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
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
