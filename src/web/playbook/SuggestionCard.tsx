import { useMutation } from '@tanstack/react-query';
import type { PlaybookSuggestion, SuggestedRuleView } from '../../core/suggest/suggestion-view.ts';
import { api } from '../app/api.ts';
import { Card, ErrorNotice, Table } from '../app/ui.tsx';
import { useFormat } from '../i18n/use-format.ts';

const moved = (rule: SuggestedRuleView) => Math.abs(rule.suggested - rule.published);

/**
 * Points learned from the workspace's won and lost leads (docs/backtest.md, "Suggested
 * playbook"): how well each ranks the outcomes, every rule the outcomes moved, the rules kept
 * and why, and the draft loaded into the editor to backtest.
 */
export function SuggestionCard({ onLoad }: { onLoad: (draft: string) => void }) {
  const { t, number, percent, signedPoints, points } = useFormat();
  const suggest = useMutation({
    mutationFn: () => api<PlaybookSuggestion>('/api/playbook/suggestion', { method: 'POST' }),
  });
  const result = suggest.data;
  const fitted = (result?.rules ?? []).filter((rule) => rule.status === 'fitted').sort((a, b) => moved(b) - moved(a));
  const kept = (result?.rules ?? []).filter((rule) => rule.status !== 'fitted');
  return (
    <Card
      title={t('playbook.suggest.title')}
      actions={
        <button type="button" className="button" disabled={suggest.isPending} onClick={() => suggest.mutate()}>
          {t('playbook.suggest.run')}
        </button>
      }
    >
      <p className="muted small">{t('playbook.suggest.intro')}</p>
      {suggest.isPending && (
        <p className="muted loading" role="status">
          {t('playbook.suggest.running')}
        </p>
      )}
      {suggest.isError && <ErrorNotice error={suggest.error} />}
      {result && !suggest.isPending && (
        <div data-testid="suggestion">
          <p>
            {t('playbook.suggest.summary', {
              outcomes: number(result.outcomes),
              won: number(result.won),
              published: number(result.auc.published, 2),
              suggested: number(result.auc.suggested, 2),
            })}
          </p>
          <p className="muted small">
            {t('playbook.suggest.rate', { points: number(result.pointsToDoubleOdds, 1), changed: result.changed })}
          </p>
          <Table
            columns={[
              t('playbook.suggest.rule'),
              ...(['published', 'suggested', 'leads', 'won'] as const).map((column) => ({
                label: t(`playbook.suggest.${column}`),
                numeric: true,
              })),
            ]}
            caption={t('playbook.suggest.title')}
            className="compact suggestion-table"
          >
            {fitted.map((rule) => (
              <tr key={`${rule.side}-${rule.rule}`} data-rule={rule.rule}>
                <td>
                  {rule.label}
                  <span className="muted small"> · {t(`playbook.suggest.side.${rule.side}`)}</span>
                </td>
                <td className="num">{points(rule.published)}</td>
                <td className="num">
                  <strong>{points(rule.suggested)}</strong>
                  {rule.suggested !== rule.published && (
                    <span className="muted small"> ({signedPoints(rule.suggested - rule.published)})</span>
                  )}
                </td>
                <td className="num">{number(rule.leads)}</td>
                <td className="num">{rule.wonShare === null ? '–' : percent(rule.wonShare)}</td>
              </tr>
            ))}
          </Table>
          {kept.length > 0 && (
            <details className="suggestion-kept">
              <summary>{t('playbook.suggest.kept', { count: kept.length })}</summary>
              <ul className="plain-list small">
                {kept.map((rule) => (
                  <li key={`${rule.side}-${rule.rule}`}>
                    {rule.label} ({points(rule.published)}):{' '}
                    <span className="muted">{t(`playbook.suggest.status.${rule.status}`, { leads: rule.leads })}</span>
                  </li>
                ))}
              </ul>
            </details>
          )}
          <p className="muted small">{t('playbook.suggest.caveat')}</p>
          <button type="button" className="button primary" onClick={() => onLoad(result.draft)}>
            {t('playbook.suggest.load')}
          </button>
        </div>
      )}
    </Card>
  );
}
