import type { SlaReport, TimeInStageReport } from '../../core/insight/report-types.ts';
import { useFormat } from '../i18n/use-format.ts';
import { FigureLink } from './FigureLink.tsx';
import { ReportCard, ReportTable } from './ReportCard.tsx';
import type { ReportParams } from './report-params.ts';
import { useReport } from './use-report.ts';

/** How long leads stayed in each stage: the stays that ended in the period, median and 90th percentile. */
export function TimeInStageCard({ params }: { params: ReportParams }) {
  const { t, duration } = useFormat();
  const query = useReport<TimeInStageReport>('time-in-stage', params, null);
  const seconds = (value: number | null) => (value === null ? '—' : duration(value * 1000));
  return (
    <ReportCard
      id="report-time-in-stage"
      title={t('analytics.timeInStage')}
      query={query}
      isEmpty={(report) => report.stages.every((stage) => stage.stays === 0)}
      empty={t('analytics.noStays')}
    >
      {(report) => (
        <ReportTable
          rows={t('analytics.stage')}
          figures={[t('analytics.leads'), t('analytics.median'), t('analytics.p90')]}
        >
          {report.stages
            .filter((stage) => stage.stays > 0)
            .map((stage) => (
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
        </ReportTable>
      )}
    </ReportCard>
  );
}

/** Hand-offs due in the period: the share first touched in time, the median wait, breaches per owner. */
export function SlaCard({ params }: { params: ReportParams }) {
  const { t, percent, duration } = useFormat();
  const query = useReport<SlaReport>('sla', params, null);
  return (
    <ReportCard
      id="report-sla"
      title={t('analytics.sla')}
      query={query}
      isEmpty={(report) => report.total.due.count === 0}
      empty={t('analytics.noHandoffs')}
    >
      {(report) => (
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
          <ReportTable
            rows={t('analytics.owner')}
            figures={[t('analytics.due'), t('analytics.inTime'), t('analytics.breached')]}
          >
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
          </ReportTable>
        </>
      )}
    </ReportCard>
  );
}
