import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { PredictionView } from '../../core/predict/prediction-view.ts';
import { ApiError, api } from '../app/api.ts';
import { Card, ErrorNotice, Loading } from '../app/ui.tsx';
import { useFormat } from '../i18n/use-format.ts';

const SHOWN = 8;

/**
 * The model's chance of a win for this lead and the columns that moved it. Effects are shown
 * as odds multipliers: the average lead's odds times every multiplier is this lead's odds.
 */
export function PredictionCard({ contactId }: { contactId: string }) {
  const { t, percent, number, dateTime } = useFormat();
  const query = useQuery({
    queryKey: ['prediction', contactId],
    queryFn: () => api<PredictionView>(`/api/contacts/${contactId}/prediction`),
    retry: false,
  });
  if (query.isPending) return <Loading />;
  if (query.isError) {
    if (query.error instanceof ApiError && query.error.code === 'no_model')
      return (
        <Card title={t('predict.title')}>
          <p className="muted">
            {t('predict.noModel')} <Link to="/analytics/model">{t('predict.openModel')}</Link>
          </p>
        </Card>
      );
    return <ErrorNotice error={query.error} retry={() => query.refetch()} />;
  }
  const prediction = query.data;
  // A full bar doubles or halves the odds, so a weak model's small effects look small.
  const largest = Math.max(...prediction.factors.map((factor) => Math.abs(factor.effect)), Math.LN2);
  const shown = prediction.factors.filter((factor) => Math.abs(factor.effect) >= 0.005).slice(0, SHOWN);
  return (
    <Card title={t('predict.title')}>
      <p className="prediction-figure">
        <span className="big-figure" data-testid="prediction" data-value={prediction.probability}>
          {percent(prediction.probability)}
        </span>{' '}
        <span className="muted">({t('predict.average', { share: percent(prediction.baseline) })})</span>
      </p>
      <p className="muted small">
        {t('predict.asOf', {
          version: prediction.version,
          trained: dateTime(prediction.trainedAt),
          asOf: dateTime(prediction.asOf),
        })}
      </p>
      <table className="table factors">
        <caption className="visually-hidden">{t('predict.factorsCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('predict.factor')}</th>
            <th scope="col" className="num">
              {t('predict.odds')}
            </th>
          </tr>
        </thead>
        <tbody>
          {shown.map((factor) => (
            <tr key={factor.column}>
              <td>
                <span className="factor-name">{factor.column}</span>
                <span className="muted small factor-value">
                  {factor.value === null
                    ? t('predict.missing')
                    : typeof factor.value === 'number'
                      ? number(factor.value, 1)
                      : factor.value}
                </span>
                <span
                  className={factor.effect >= 0 ? 'effect-bar up' : 'effect-bar down'}
                  style={{ width: `${Math.round((Math.abs(factor.effect) / largest) * 100)}%` }}
                  aria-hidden="true"
                />
              </td>
              <td className="num">
                {t(factor.effect >= 0 ? 'predict.raises' : 'predict.lowers', {
                  odds: number(Math.exp(factor.effect), 2),
                })}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {prediction.factors.length > shown.length && (
        <p className="muted small">{t('predict.more', { count: prediction.factors.length - shown.length })}</p>
      )}
    </Card>
  );
}
