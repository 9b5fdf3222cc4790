import { useMemo } from 'react';
import { parse } from 'yaml';
import { Card } from '../app/ui.tsx';
import { useFormat } from '../i18n/use-format.ts';

interface Rule {
  id: string;
  label?: string;
  points?: number;
}
interface Group {
  id: string;
  label?: string;
  cap?: number;
  rules?: Rule[];
}
interface Document {
  name?: string;
  fit?: { grades?: Record<string, number>; groups?: Group[] };
  engagement?: { groups?: Group[]; temperatures?: Record<string, number>; cap?: number };
  mql?: { criteria?: Array<{ id: string; label?: string; when?: unknown }> };
  handRaisers?: { minFit?: number; events?: Array<{ id: string; match?: unknown }> };
}

/** The published playbook as a person reads it: groups, rules and points, bands and criteria. */
export function PlaybookRules({ source }: { source: string }) {
  const { t, number } = useFormat();
  const doc = useMemo(() => parse(source) as Document, [source]);
  const criteria = doc.mql?.criteria ?? [];
  return (
    <div className="rules-columns">
      <div>
        <GroupsCard title={t('playbook.fit')} groups={doc.fit?.groups ?? []} />
        {doc.fit?.grades && (
          <Card title={t('playbook.grades')}>
            <ul className="plain-list">
              {Object.entries(doc.fit.grades).map(([grade, from]) => (
                <li key={grade} className="row-between">
                  <strong>{grade}</strong>
                  <span>{t('playbook.atLeast', { points: number(from) })}</span>
                </li>
              ))}
            </ul>
          </Card>
        )}
      </div>
      <div>
        <GroupsCard title={t('playbook.engagement')} groups={doc.engagement?.groups ?? []} />
        {doc.engagement?.temperatures && (
          <Card title={t('playbook.temperatures')}>
            <ul className="plain-list">
              {Object.entries(doc.engagement.temperatures).map(([temperature, from]) => (
                <li key={temperature} className="row-between">
                  <strong>{t(`temperature.${temperature}`)}</strong>
                  <span>{t('playbook.atLeast', { points: number(from) })}</span>
                </li>
              ))}
            </ul>
          </Card>
        )}
        <Card title={t('playbook.criteria')}>
          <ul className="plain-list">
            {criteria.map((criterion) => (
              <li key={criterion.id} className="row-between">
                <span>{criterion.label ?? criterion.id}</span>
                {typeof criterion.when === 'string' && <code className="small">{criterion.when}</code>}
              </li>
            ))}
            {(doc.handRaisers?.events ?? []).map((event) => (
              <li key={event.id} className="row-between">
                <span>{t('playbook.handRaiser', { id: event.id })}</span>
                <span className="muted small">
                  {t('playbook.minFit', { points: number(doc.handRaisers?.minFit ?? 0) })}
                </span>
              </li>
            ))}
          </ul>
        </Card>
      </div>
    </div>
  );
}

/** One side of the rules (fit or engagement): its groups, each rule with its points. */
function GroupsCard({ title, groups }: { title: string; groups: Group[] }) {
  const { t, signedPoints, number } = useFormat();
  return (
    <Card title={title}>
      {groups.map((group) => (
        <table key={group.id} className="table compact explanation">
          <caption>
            {group.label ?? group.id}
            {group.cap !== undefined && (
              <span className="muted small"> · {t('playbook.cap', { cap: number(group.cap) })}</span>
            )}
          </caption>
          <tbody>
            {(group.rules ?? []).map((rule) => (
              <tr key={rule.id}>
                <td>{rule.label ?? rule.id}</td>
                <td className="num points">{rule.points === undefined ? '—' : signedPoints(rule.points)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </Card>
  );
}
