import { useState } from 'react';
import type { Explanation as ExplanationData, ExplanationLine } from '../app/types.ts';
import { Card } from '../app/ui.tsx';
import { useFormat } from '../i18n/use-format.ts';

/** Every point of the score: each rule, the events it counted, decay and caps, summing to the totals. */
export function Explanation({ explanation }: { explanation: ExplanationData }) {
  const { t, points, dateTime } = useFormat();
  const weights = explanation.combined;
  return (
    <Card title={t('lead.explanation')}>
      <p className="muted small">
        {t('explain.asOf', { when: dateTime(explanation.at), version: explanation.playbookVersion })}
      </p>
      <Part
        title={t('explain.fit', { grade: explanation.fit.grade })}
        total={explanation.fit.points}
        lines={explanation.fit.lines}
        testId="fit"
      />
      <Part
        title={t('explain.engagement', { temperature: t(`temperature.${explanation.engagement.temperature}`) })}
        total={explanation.engagement.points}
        lines={explanation.engagement.lines}
        testId="engagement"
      />
      <p
        className="combined"
        data-testid="combined"
        data-fit-weight={weights.fitWeight ?? 0.5}
        data-engagement-weight={weights.engagementWeight ?? 0.5}
        data-value={weights.points}
      >
        {t('explain.combined', {
          fitWeight: points(weights.fitWeight ?? 0.5),
          engagementWeight: points(weights.engagementWeight ?? 0.5),
          score: points(weights.points),
        })}
      </p>
    </Card>
  );
}

function Part({
  title,
  total,
  lines,
  testId,
}: {
  title: string;
  total: number;
  lines: ExplanationLine[];
  testId: string;
}) {
  const { t, points } = useFormat();
  return (
    <table className="table explanation" data-testid={`explain-${testId}`}>
      <caption>{title}</caption>
      <thead>
        <tr>
          <th scope="col">{t('explain.rule')}</th>
          <th scope="col" className="num">
            {t('explain.points')}
          </th>
        </tr>
      </thead>
      <tbody>
        {lines.length === 0 && (
          <tr>
            <td colSpan={2} className="muted">
              {t('explain.nothing')}
            </td>
          </tr>
        )}
        {lines.map((line) => (
          <Line key={`${line.kind}-${line.group}-${line.rule}`} line={line} />
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">{t('explain.total')}</th>
          <td className="num" data-testid={`total-${testId}`} data-value={total}>
            {points(total)}
          </td>
        </tr>
      </tfoot>
    </table>
  );
}

function Line({ line }: { line: ExplanationLine }) {
  const { t, points, signedPoints, dateTime, number } = useFormat();
  const [open, setOpen] = useState(false);
  const label =
    line.kind === 'group-cap'
      ? t('explain.groupCap', { group: line.group ?? '', cap: number(line.cap ?? 0) })
      : line.kind === 'total-cap'
        ? t('explain.totalCap', { cap: number(line.cap ?? 0) })
        : (line.label ?? line.rule ?? line.kind);
  const events = line.events ?? [];
  return (
    <>
      <tr className={line.kind === 'rule' ? undefined : 'cap-line'}>
        <td>
          <span className="rule-label">{label}</span>
          {line.kind === 'rule' && line.matched !== undefined && (
            <span className="sub">
              {t('explain.counted', {
                counted: line.counted ?? 0,
                matched: line.matched,
                raw: points(line.rawPoints ?? 0),
              })}
              {line.halfLifeDays ? ` · ${t('explain.halfLife', { days: number(line.halfLifeDays, 1) })}` : ''}
            </span>
          )}
          {events.length > 0 && (
            <button type="button" className="linklike small" aria-expanded={open} onClick={() => setOpen(!open)}>
              {open ? t('explain.hideEvents') : t('explain.showEvents', { count: events.length })}
            </button>
          )}
        </td>
        <td className="num points" data-points={line.points}>
          {signedPoints(line.points)}
        </td>
      </tr>
      {open &&
        events.map((event) => (
          <tr key={event.messageId} className="event-line">
            <td>
              <span className="sub">
                {dateTime(event.at)} · {t('explain.eventDecay', { raw: points(event.rawPoints) })}
              </span>
            </td>
            <td className="num small muted">{points(event.points)}</td>
          </tr>
        ))}
    </>
  );
}
