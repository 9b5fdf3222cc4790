import { lazy, Suspense, useMemo } from 'react';
import { Link } from 'react-router';
import { Table } from '../app/ui.tsx';
import { useFormat } from '../i18n/use-format.ts';
import type { BacktestReport, ChangedLead } from './playbook-api.ts';

/** uPlot loads with the chart, once there is a result to draw. */
const BacktestChart = lazy(() => import('./BacktestChart.tsx'));

const DAY_MS = 86_400_000;
const OUTCOMES = new Set(['won', 'lost', 'opportunity']);

/** Days as the report counts them: UTC, as the period was asked for. */
function useDay() {
  const { intl } = useFormat();
  return useMemo(
    () => (iso: string) => intl.formatDate(iso, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }),
    [intl],
  );
}

/** The published playbook and the draft side by side, the weekly load, and the leads that change class. */
export function BacktestResult({ report }: { report: BacktestReport }) {
  const { t, intl } = useFormat();
  const day = useDay();
  // Stable between renders: the chart is drawn again only when they change.
  const labels = useMemo(
    () => ({ published: t('playbook.backtest.publishedShort'), draft: t('playbook.backtest.draft') }),
    [t],
  );
  const formatWeek = useMemo(
    () => (start: string) => intl.formatDate(`${start}T00:00:00Z`, { day: 'numeric', month: 'short', timeZone: 'UTC' }),
    [intl],
  );
  const lastDay = new Date(Date.parse(report.period.to) - DAY_MS).toISOString();
  return (
    <div data-testid="backtest-result">
      <p>
        {t('playbook.backtest.summary', {
          from: day(report.period.from),
          to: day(lastDay),
          replayed: report.contacts.replayed,
          won: report.contacts.won,
          customers: report.contacts.alreadyCustomers,
        })}
      </p>
      <div className="backtest-columns">
        <SideBySide report={report} />
        <section>
          <h3>{t('playbook.backtest.weekly')}</h3>
          <Suspense fallback={null}>
            <BacktestChart weeks={report.weeks} labels={labels} formatWeek={formatWeek} />
          </Suspense>
          <WeeklyTable report={report} />
        </section>
      </div>
      <Earlier report={report} />
      <ChangedLeads report={report} />
    </div>
  );
}

function SideBySide({ report }: { report: BacktestReport }) {
  const { t, number, intl } = useFormat();
  const { published, draft } = report.columns;
  // Always one decimal, so the two columns line up (6.0 beside 6.6); shares of a few percent
  // would otherwise often look the same.
  const tenths = (value: number) => intl.formatNumber(value, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const share = (value: number | null) =>
    value === null
      ? '–'
      : intl.formatNumber(value, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const days = (value: number | null) => (value === null ? '–' : tenths(value));
  const rows: Array<[string, string, string]> = [
    ['mqls', number(published.mqls), number(draft.mqls)],
    ['perWeekMean', tenths(published.mqlsPerWeek.mean), tenths(draft.mqlsPerWeek.mean)],
    ['perWeekPeak', number(published.mqlsPerWeek.peak), number(draft.mqlsPerWeek.peak)],
    ['precision', share(published.precision), share(draft.precision)],
    ['recall', share(published.recall), share(draft.recall)],
    ['medianDays', days(published.medianDaysToWin), days(draft.medianDaysToWin)],
    ['wonCaught', number(published.wonCaught), number(draft.wonCaught)],
  ];
  return (
    <div className="table-scroll">
      <table className="table compact backtest-table" data-testid="backtest-table">
        <caption>{t('playbook.backtest.table')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('playbook.backtest.figure')}</th>
            <th scope="col" className="num">
              {t('playbook.backtest.publishedShort')}
              <span className="sub">{t('playbook.backtest.version', { version: report.published.version })}</span>
            </th>
            <th scope="col" className="num">
              {t('playbook.backtest.draft')}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([key, before, after]) => (
            <tr key={key} data-figure={key}>
              <th scope="row">{t(`playbook.backtest.${key}`)}</th>
              <td className="num">{before}</td>
              <td className={before === after ? 'num' : 'num changed'}>{after}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The figures the chart draws, for who does not see it. */
function WeeklyTable({ report }: { report: BacktestReport }) {
  const { t, number } = useFormat();
  const day = useDay();
  return (
    <details className="backtest-weeks">
      <summary>{t('playbook.backtest.weeklyTable')}</summary>
      <Table
        columns={[
          t('playbook.backtest.week'),
          { label: t('playbook.backtest.publishedShort'), numeric: true },
          { label: t('playbook.backtest.draft'), numeric: true },
        ]}
        className="compact"
      >
        {report.weeks.map((week) => (
          <tr key={week.week}>
            <th scope="row">
              {week.partial ? t('playbook.backtest.partialWeek', { start: day(week.start) }) : day(week.start)}
            </th>
            <td className="num">{number(week.published)}</td>
            <td className="num">{number(week.draft)}</td>
          </tr>
        ))}
      </Table>
    </details>
  );
}

/** How much earlier the draft catches the wins both catch. */
function Earlier({ report }: { report: BacktestReport }) {
  const { t } = useFormat();
  const { bothCaught, medianDays } = report.earlier;
  const text =
    bothCaught === 0 || medianDays === null
      ? t('playbook.backtest.earlier.none')
      : medianDays === 0
        ? t('playbook.backtest.earlier.same', { count: bothCaught })
        : t(medianDays > 0 ? 'playbook.backtest.earlier.draft' : 'playbook.backtest.earlier.published', {
            count: bothCaught,
            days: Math.abs(medianDays),
          });
  return (
    <p className="backtest-earlier" data-testid="backtest-earlier">
      {text}
    </p>
  );
}

function ChangedLeads({ report }: { report: BacktestReport }) {
  const { t } = useFormat();
  const { changed } = report;
  return (
    <section data-testid="backtest-changed">
      <h3>{t('playbook.backtest.changed')}</h3>
      {changed.total === 0 ? (
        <p className="muted">{t('playbook.backtest.noChange')}</p>
      ) : (
        <>
          <p className="muted small">
            {t('playbook.backtest.changedSummary', {
              draftOnly: changed.draftOnly,
              draftOnlyWon: changed.draftOnlyWon,
              publishedOnly: changed.publishedOnly,
              publishedOnlyWon: changed.publishedOnlyWon,
            })}
          </p>
          <ul className="plain-list">
            {changed.items.map((lead) => (
              <ChangedLeadItem key={lead.contactId} lead={lead} />
            ))}
          </ul>
          {changed.items.length < changed.total && (
            <p className="muted small">
              {t('playbook.backtest.shown', { shown: changed.items.length, total: changed.total })}
            </p>
          )}
        </>
      )}
    </section>
  );
}

function ChangedLeadItem({ lead }: { lead: ChangedLead }) {
  const { t, dateTime } = useFormat();
  const day = useDay();
  const won = lead.outcome?.kind === 'won';
  const mql =
    lead.draftMqlAt !== null
      ? t('playbook.backtest.draftOnly', { when: dateTime(lead.draftMqlAt) })
      : t('playbook.backtest.publishedOnly', { when: dateTime(lead.publishedMqlAt ?? '') });
  const outcome =
    lead.outcome && OUTCOMES.has(lead.outcome.kind)
      ? t(`playbook.backtest.outcome.${lead.outcome.kind}`, { when: day(lead.outcome.at) })
      : null;
  return (
    <li className="impact-example backtest-lead">
      <Link to={`/leads/${lead.contactId}`} className="break">
        {lead.name ?? lead.email ?? lead.contactId}
      </Link>
      {won && <span className="badge stage-customer">{t('playbook.backtest.won')}</span>}
      <span className="muted small">{[mql, outcome].filter(Boolean).join(' · ')}</span>
    </li>
  );
}
