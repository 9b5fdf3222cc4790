import type { StageMove } from '../app/types.ts';
import { Card, StageBadge } from '../app/ui.tsx';
import { useFormat } from '../i18n/use-format.ts';

/** Every move: from, to, when, who or which rule, why, and how long the lead stayed before. */
export function StageHistory({ history }: { history: StageMove[] }) {
  const { t, dateTime, duration } = useFormat();
  return (
    <Card title={t('history.title')}>
      {history.length === 0 ? (
        <p className="muted">{t('history.none')}</p>
      ) : (
        <ol className="history" data-testid="stage-history">
          {[...history].reverse().map((move) => (
            <li key={`${move.at}-${move.to}`}>
              <div className="history-move">
                {move.from && <StageBadge stage={move.from} />}
                <span aria-hidden="true">→</span>
                <span className="visually-hidden">{t('history.to')}</span>
                <StageBadge stage={move.to} />
              </div>
              <div className="sub">
                {dateTime(move.at)}
                {move.actor && ` · ${actorLabel(move.actor, t)}`}
                {move.reason && ` · ${t('history.reason', { reason: move.reason })}`}
                {move.timeInStageMs !== null && ` · ${t('history.after', { duration: duration(move.timeInStageMs) })}`}
              </div>
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}

export function actorLabel(actor: string, t: (id: string, values?: Record<string, string>) => string): string {
  const [kind, ...rest] = actor.split(':');
  const name = rest.join(':');
  if (kind === 'rule') return t('history.byRule', { rule: name });
  if (kind === 'user') return t('history.byUser', { user: name });
  if (kind === 'key') return t('history.byKey', { key: name });
  return actor;
}
