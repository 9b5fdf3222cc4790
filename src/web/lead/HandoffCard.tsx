import type { Handoff } from '../app/types.ts';
import { Card } from '../app/ui.tsx';
import { useFormat } from '../i18n/use-format.ts';
import { useNow } from '../inbox/use-now.ts';

export function HandoffCard({ handoff }: { handoff: Handoff }) {
  const { t, dateTime, relative } = useFormat();
  const now = useNow(30_000);
  const breached = handoff.breachedAt !== null || (handoff.firstTouchAt === null && Date.parse(handoff.dueAt) < now);
  return (
    <Card title={t('handoff.title')}>
      <dl className="facts">
        <div>
          <dt>{t('handoff.owner')}</dt>
          <dd>{handoff.owner}</dd>
        </div>
        <div>
          <dt>{t('handoff.status')}</dt>
          <dd>{t(`handoff.status.${handoff.status}`)}</dd>
        </div>
        <div>
          <dt>{t('handoff.due')}</dt>
          <dd className={breached && !handoff.firstTouchAt ? 'down' : undefined}>
            {dateTime(handoff.dueAt)} ({relative(handoff.dueAt, now)})
            {breached && !handoff.firstTouchAt && <strong> · {t('handoff.breached')}</strong>}
          </dd>
        </div>
        {handoff.firstTouchAt && (
          <div>
            <dt>{t('handoff.touched')}</dt>
            <dd>
              {dateTime(handoff.firstTouchAt)}
              {handoff.touchChannel && ` · ${t(`touch.${handoff.touchChannel}`)}`}
            </dd>
          </div>
        )}
      </dl>
    </Card>
  );
}
