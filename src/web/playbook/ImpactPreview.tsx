import type { UseMutationResult } from '@tanstack/react-query';
import { Link } from 'react-router';
import { Card, ErrorNotice } from '../app/ui.tsx';
import { useFormat } from '../i18n/use-format.ts';
import { IMPACT_KINDS, type Impact, type ImpactFigures, type Transition } from './playbook-api.ts';

/**
 * Before publishing: how many leads the draft would move to another grade, temperature or
 * stage, and which MQLs would no longer qualify, with the moves and a few examples of each.
 */
export function ImpactPreview({
  impact,
  source,
  disabled,
}: {
  impact: UseMutationResult<Impact, Error, string>;
  source: string;
  disabled: boolean;
}) {
  const { t, number } = useFormat();
  const result = impact.data;
  const stale = result !== undefined && impact.variables !== source;
  return (
    <Card
      title={t('playbook.impact.title')}
      actions={
        <button
          type="button"
          className="button"
          disabled={disabled || impact.isPending}
          onClick={() => impact.mutate(source)}
        >
          {t('playbook.impact.run')}
        </button>
      }
    >
      <p className="muted small">{t('playbook.impact.intro')}</p>
      {impact.isPending && (
        <p className="muted loading" role="status">
          {t('playbook.impact.running')}
        </p>
      )}
      {impact.isError && <ErrorNotice error={impact.error} />}
      {stale && (
        <p className="notice warn" role="status">
          {t('playbook.impact.stale')}
        </p>
      )}
      {result && !impact.isPending && (
        <div data-testid="impact">
          <dl className="facts impact-figures">
            {(
              [
                ['playbook.impact.contacts', result.contacts],
                ['playbook.impact.scoreChanged', result.scoreChanged],
                ...IMPACT_KINDS.map((kind) => [`playbook.impact.changed.${kind}`, result.changed[kind]] as const),
              ] as const
            ).map(([label, value]) => (
              <div key={label}>
                <dt>{t(label)}</dt>
                <dd className="num" data-kind={label.split('.').pop()}>
                  {number(value)}
                </dd>
              </div>
            ))}
          </dl>
          <div className="impact-tables">
            <TransitionTable caption={t('playbook.impact.grades')} rows={result.transitions.grade} show={(v) => v} />
            <TransitionTable
              caption={t('playbook.impact.temperatures')}
              rows={result.transitions.temperature}
              show={(value) => t(`temperature.${value}`)}
            />
            <TransitionTable
              caption={t('playbook.impact.stages')}
              rows={result.transitions.stage}
              show={(value) => t(`stage.${value}`)}
            />
          </div>
          <Examples impact={result} />
          <p className="muted small">
            {t('playbook.impact.took', { version: result.version, seconds: number(result.tookMs / 1000, 1) })}
          </p>
        </div>
      )}
    </Card>
  );
}

function TransitionTable({
  caption,
  rows,
  show,
}: {
  caption: string;
  rows: Transition[];
  show: (value: string) => string;
}) {
  const { t, number } = useFormat();
  return (
    <table className="table compact">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('playbook.impact.move')}</th>
          <th scope="col" className="num">
            {t('playbook.impact.leads')}
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 ? (
          <tr>
            <td colSpan={2} className="muted">
              {t('playbook.impact.none')}
            </td>
          </tr>
        ) : (
          rows.map((row) => (
            <tr key={`${row.from}-${row.to}`}>
              <td>
                {show(row.from)} → {show(row.to)}
              </td>
              <td className="num">{number(row.count)}</td>
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
}

/** A few leads per kind of change, the ones whose score moves most, each linking to its page. */
function Examples({ impact }: { impact: Impact }) {
  const { t } = useFormat();
  const kinds = IMPACT_KINDS.filter((kind) => impact.examples[kind].length > 0);
  if (kinds.length === 0) return null;
  return (
    <div className="impact-examples">
      {kinds.map((kind) => (
        <section key={kind}>
          <h3>{t(`playbook.impact.examples.${kind}`)}</h3>
          <ul className="plain-list">
            {impact.examples[kind].map((example) => (
              <li key={example.id} className="impact-example">
                <Link to={`/leads/${example.id}`} className="break">
                  {example.name ?? example.email ?? example.id}
                </Link>
                <Change before={example.before} after={example.after} />
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}

/** "score 35 → 42.5 · C → B · warm · Lead → MQL": what moves, and what stays. */
function Change({ before, after }: { before: ImpactFigures; after: ImpactFigures }) {
  const { t, points } = useFormat();
  const pair = (from: string, to: string) => (from === to ? from : `${from} → ${to}`);
  return (
    <span className="muted small">
      {[
        t('playbook.impact.score', { score: pair(points(before.score), points(after.score)) }),
        pair(before.grade, after.grade),
        pair(t(`temperature.${before.temperature}`), t(`temperature.${after.temperature}`)),
        pair(t(`stage.${before.stage}`), t(`stage.${after.stage}`)),
      ].join(' · ')}
    </span>
  );
}
