import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { ModelMeasures } from '../../core/predict/measure-model.ts';
import type { ModelReportView, ModelRunView } from '../../core/predict/prediction-view.ts';
import { ApiError, api } from '../app/api.ts';
import { useSession } from '../app/session.tsx';
import { Card, ErrorNotice, Loading, Table } from '../app/ui.tsx';
import { useFormat } from '../i18n/use-format.ts';

/** The predictive model: how well the latest version predicts, what it learnt, and a retrain button. */
export function ModelPage() {
  const { t, number, dateTime } = useFormat();
  const session = useSession();
  const [waitingFor, setWaitingFor] = useState<number | null>(null);
  const query = useQuery({
    queryKey: ['predictive-model'],
    queryFn: () =>
      api<ModelRunView>('/api/predictive/model').catch((error: unknown) => {
        if (error instanceof ApiError && error.code === 'no_model') return null;
        throw error;
      }),
    refetchInterval: (current) => {
      if (waitingFor === null) return false;
      return (current.state.data?.version ?? 0) >= waitingFor ? false : 3_000;
    },
  });
  const retrain = useMutation({
    mutationFn: () => api('/api/predictive/train', { method: 'POST' }),
    onSuccess: () => setWaitingFor((query.data?.version ?? 0) + 1),
  });
  if (query.isPending) return <Loading />;
  if (query.isError) return <ErrorNotice error={query.error} retry={() => query.refetch()} />;
  const run = query.data;
  const training = waitingFor !== null && (run?.version ?? 0) < waitingFor;
  return (
    <div className="page model-page">
      <h1>{t('model.title')}</h1>
      <Card
        title={run ? t('model.version', { version: run.version }) : t('model.none')}
        actions={
          session.can.publishPlaybook && (
            <button type="button" className="button" disabled={training} onClick={() => retrain.mutate()}>
              {training ? t('model.training') : t('model.retrain')}
            </button>
          )
        }
      >
        {!run && <p className="muted">{t('model.noneHelp')}</p>}
        {run && (
          <p data-testid="model-status" data-status={run.status}>
            {t(run.status === 'trained' ? 'model.trained' : 'model.refused', {
              when: dateTime(run.trainedAt),
              outcomes: number(run.outcomes),
              positives: number(run.positives),
              predicted: number(run.predicted),
            })}
          </p>
        )}
        {run?.message && <p className="notice warning">{run.message}</p>}
        {retrain.isError && <ErrorNotice error={retrain.error} />}
      </Card>
      {run?.report && <ReportCards report={run.report} />}
    </div>
  );
}

function ReportCards({ report }: { report: ModelReportView }) {
  const { t, number, intl } = useFormat();
  const compact = (value: number) => intl.formatNumber(value, { notation: 'compact', maximumSignificantDigits: 3 });
  const auc = (value: number | null) => (value === null ? '–' : number(value, 3));
  return (
    <div className="grid model-grid">
      <Card title={t('model.accuracy')}>
        <p className="muted small">{t('model.accuracyHelp')}</p>
        <Table
          columns={[
            t('model.split'),
            { label: 'AUC', numeric: true },
            { label: t('model.logLoss'), numeric: true },
            { label: t('model.rows'), numeric: true },
          ]}
        >
          <tr>
            <th scope="row">{t('model.crossValidated', { folds: report.crossValidation.folds })}</th>
            <td className="num">{auc(report.crossValidation.auc)}</td>
            <td className="num">{auc(report.crossValidation.logLoss)}</td>
            <td className="num">{number(report.rows)}</td>
          </tr>
          <SplitRow label={t('model.heldOut')} measures={report.holdout} />
          {report.outOfTime && <SplitRow label={t('model.outOfTime')} measures={report.outOfTime} />}
        </Table>
        {!report.outOfTime && <p className="muted small">{t('model.noOutOfTime')}</p>}
      </Card>
      <Card title={t('model.factors')}>
        <p className="muted small">{t('model.factorsHelp')}</p>
        <ol className="factor-list">
          {report.factors.slice(0, 10).map((factor) => (
            <li key={factor.column}>
              <strong>{factor.column}</strong>{' '}
              <span className="muted small">
                {factor.strongest
                  .map(
                    (input) =>
                      `${inputName(factor.column, input.label, compact) || t('model.trend')} ${input.coefficient >= 0 ? '↑' : '↓'} ×${number(Math.exp(input.coefficient), 2)}`,
                  )
                  .join(' · ')}
              </span>
            </li>
          ))}
        </ol>
      </Card>
      <CalibrationCard measures={report.holdout} />
      <LiftCard measures={report.holdout} />
      {(report.leaks.length > 0 || report.skipped.length > 0) && (
        <Card title={t('model.leftOut')} wide>
          <ul>
            {report.leaks.map((leak) => (
              <li key={leak.column} data-testid="leak">
                <strong>{t('model.leak')}</strong> <WithCode text={leak.message} />
                {leak.forced && ` (${t('model.forced')})`}
              </li>
            ))}
            {report.skipped.map((column) => (
              <li key={column.name} className="muted">
                <WithCode text={column.message} />
              </li>
            ))}
          </ul>
        </Card>
      )}
    </div>
  );
}

/**
 * An input's name without its column's: `= value` for a category, the band for a number (its
 * bounds from 10,000 up shortened, `35.4M–128M` rather than `35400000–128000000`), empty for a
 * number's trend.
 */
function inputName(column: string, label: string, compact: (value: number) => string): string {
  const rest = label.startsWith(column) ? label.slice(column.length).trim() : label;
  if (rest.startsWith('=')) return rest;
  return rest.replace(/\d+(?:\.\d+)?/g, (figure) => (Number(figure) >= 10_000 ? compact(Number(figure)) : figure));
}

/** The server's messages quote names in backticks: shown as code. */
function WithCode({ text }: { text: string }) {
  return (
    <>
      {text.split('`').map((part, index) =>
        // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed string
        index % 2 === 1 ? <code key={index}>{part}</code> : <span key={index}>{part}</span>,
      )}
    </>
  );
}

function SplitRow({ label, measures }: { label: string; measures: ModelMeasures }) {
  const { number } = useFormat();
  const value = (figure: number | null) => (figure === null ? '–' : number(figure, 3));
  return (
    <tr>
      <th scope="row">{label}</th>
      <td className="num">{value(measures.auc)}</td>
      <td className="num">{value(measures.logLoss)}</td>
      <td className="num">{number(measures.count)}</td>
    </tr>
  );
}

/** Predicted against observed, band by band: a calibrated model's bars match. */
function CalibrationCard({ measures }: { measures: ModelMeasures }) {
  const { t, number, percent } = useFormat();
  return (
    <Card title={t('model.calibration')}>
      <p className="muted small">{t('model.calibrationHelp')}</p>
      <Table
        columns={[t('model.band'), { label: t('model.rows'), numeric: true }, t('model.predictedVsObserved')]}
        className="bars"
      >
        {measures.calibration.map((bin) => (
          <tr key={bin.from}>
            <th scope="row">
              {percent(bin.from)}–{percent(bin.to)}
            </th>
            <td className="num">{number(bin.count)}</td>
            <td>
              <Bar share={bin.meanPredicted} label={percent(bin.meanPredicted)} kind="predicted" />
              <Bar share={bin.observedRate} label={percent(bin.observedRate)} kind="observed" />
            </td>
          </tr>
        ))}
      </Table>
    </Card>
  );
}

/** Tenths of the held-out leads, highest predictions first: how much better than picking at random. */
function LiftCard({ measures }: { measures: ModelMeasures }) {
  const { t, number, percent } = useFormat();
  const top = Math.max(...measures.lift.map((decile) => decile.rate), 1e-9);
  return (
    <Card title={t('model.lift')}>
      <p className="muted small">{t('model.liftHelp')}</p>
      <Table
        columns={[
          t('model.decile'),
          t('model.winRate'),
          { label: t('model.liftColumn'), numeric: true },
          { label: t('model.captured'), numeric: true },
        ]}
        className="bars"
      >
        {measures.lift.map((decile) => (
          <tr key={decile.decile}>
            <th scope="row">{decile.decile}</th>
            <td>
              <Bar share={decile.rate / top} label={percent(decile.rate)} kind="observed" />
            </td>
            <td className="num">×{number(decile.lift, 2)}</td>
            <td className="num">{percent(decile.cumulativeCapture)}</td>
          </tr>
        ))}
      </Table>
    </Card>
  );
}

function Bar({ share, label, kind }: { share: number; label: string; kind: 'predicted' | 'observed' }) {
  const { t } = useFormat();
  return (
    <span className={`bar-row ${kind}`}>
      <span className="bar-track" aria-hidden="true">
        <span className="bar" style={{ width: `${Math.max(0, Math.min(1, share)) * 100}%` }} />
      </span>
      <span className="bar-label">
        <span className="bar-kind">{t(`model.${kind}`)}</span> {label}
      </span>
    </span>
  );
}
