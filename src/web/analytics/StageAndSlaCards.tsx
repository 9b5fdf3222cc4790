import type { SlaReport, TimeInStageReport } from '../../core/insight/report-types.ts';
import { Card, ErrorNotice, Loading } from '../app/ui.tsx';
import { useFormat } from '../i18n/use-format.ts';
import { FigureLink } from './FigureLink.tsx';
import type { ReportParams } from './report-params.ts';
import { useReport } from './use-report.ts';

/** How long leads stayed in each stage: the stays that ended in the period, median and 90th percentile. */
export function TimeInStageCard({ params }: { params: ReportParams }) {
  const { t, duration } = useFormat();
  const query = useReport<TimeInStageReport>('time-in-stage', params, null);
  const seconds = (value: number | null) => (value === null ? '—' : duration(value * 1000));
  const stages = query.data?.stages.filter((stage) => stage.stays > 0) ?? [];
  return (
    <Card title={t('analytics.timeInStage')}>
      {query.isPending ? (
        <Loading />
      ) : query.isError ? (
        <ErrorNotice error={query.error} retry={() => query.refetch()} />
      ) : stages.length === 0 ? (
        <p className="muted">{t('analytics.noStays')}</p>
      ) : (
        <div className="table-scroll">
          <table className="table compact report-table">
            <thead>
              <tr>
                <th scope="col">{t('analytics.stage')}</th>
                <th scope="col" className="num">
                  {t('analytics.leads')}
                </th>
                <th scope="col" className="num">
                  {t('analytics.median')}
                </th>
                <th scope="col" className="num">
                  {t('analytics.p90')}
                </th>
              </tr>
            </thead>
            <tbody>
              {stages.map((stage) => (
                <tr key={stage.stage}>
                  <th scope="row">{t(`stage.${stage.stage}`)}</th>
                  <td className="num">
                    <FigureLink
                      report="time-in-stage"
                      figure={stage.leads}
                      label={t('analytics.stayedIn', { stage: t(`stage.${stage.stage}`) })}
                    />
                    {stage.stays !== stage.leads.count && (
                      <span className="rate">{t('analytics.stays', { count: stage.stays })}</span>
                    )}
                  </td>
                  <td className="num">{seconds(stage.medianSeconds)}</td>
                  <td className="num">{seconds(stage.p90Seconds)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}

/** Hand-offs due in the period: the share first touched in time, the median wait, breaches per owner. */
export function SlaCard({ params }: { params: ReportParams }) {
  const { t, percent, duration } = useFormat();
  const query = useReport<SlaReport>('sla', params, null);
  const report = query.data;
  return (
    <Card title={t('analytics.sla')}>
      {query.isPending ? (
        <Loading />
      ) : query.isError || !report ? (
        <ErrorNotice error={query.error} retry={() => query.refetch()} />
      ) : report.total.due.count === 0 ? (
        <p className="muted">{t('analytics.noHandoffs')}</p>
      ) : (
        <>
          <dl className="report-figures">
            <div>
              <dt>{t('analytics.inTimeShare')}</dt>
              <dd className="big-figure">
                {report.total.inTimeRate === null ? '—' : percent(report.total.inTimeRate)}
              </dd>
            </div>
            <div>
              <dt>{t('analytics.medianToTouch')}</dt>
              <dd>
                {report.total.medianSecondsToFirstTouch === null
                  ? '—'
                  : duration(report.total.medianSecondsToFirstTouch * 1000)}
              </dd>
            </div>
          </dl>
          <div className="table-scroll">
            <table className="table compact report-table">
              <thead>
                <tr>
                  <th scope="col">{t('analytics.owner')}</th>
                  <th scope="col" className="num">
                    {t('analytics.due')}
                  </th>
                  <th scope="col" className="num">
                    {t('analytics.inTime')}
                  </th>
                  <th scope="col" className="num">
                    {t('analytics.breached')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {[{ ...report.total, owner: null }, ...report.owners].map((row) => {
                  const who = row.owner ?? t('analytics.allOwners');
                  return (
                    <tr key={row.owner ?? ''} className={row.owner === null ? 'total-row' : undefined}>
                      <th scope="row" className="name-cell">
                        {who}
                      </th>
                      <td className="num">
                        <FigureLink report="sla" figure={row.due} label={`${t('analytics.due')} · ${who}`} />
                      </td>
                      <td className="num">
                        <FigureLink report="sla" figure={row.inTime} label={`${t('analytics.inTime')} · ${who}`} />
                        {row.inTimeRate !== null && <span className="rate">{percent(row.inTimeRate)}</span>}
                      </td>
                      <td className="num">
                        <FigureLink
                          report="sla"
                          figure={row.breached}
                          label={`${t('analytics.breached')} · ${who}`}
                          className={row.breached.count > 0 ? 'down' : undefined}
                        />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
    </Card>
  );
}
