import { isMap, isScalar, isSeq, type Node, parseDocument } from 'yaml';
import type { YamlPath } from '../../core/playbook/set-yaml-value.ts';

export type KnobKind = 'number' | 'duration' | 'text';
export type KnobPath = YamlPath;

/** One common setting of the playbook that the form edits: where it is in the YAML and what it holds. */
export interface Knob {
  path: KnobPath;
  kind: KnobKind;
  value: number | string;
  /** A message id with its values, or the playbook's own words (a rule's label). */
  label: { id: string; values?: Record<string, string> } | { text: string };
}

export interface KnobGroup {
  /** The group's label as the playbook writes it; null for the section's own settings. */
  title: string | null;
  knobs: Knob[];
}

export interface KnobSection {
  id: 'fit' | 'engagement' | 'qualification' | 'handoff';
  groups: KnobGroup[];
}

type Doc = ReturnType<typeof parseDocument>;

/**
 * The common settings of a draft, read from its YAML: grade and temperature bands, every
 * rule's points, the engagement half-life and cap, MQL criteria and the fast lane's minimum
 * fit, the SLA and the MQL expiry. Only settings the draft has are offered; null when the
 * YAML does not parse.
 */
export function readKnobs(source: string): KnobSection[] | null {
  const doc = parseDocument(source);
  if (doc.errors.length > 0) return null;
  const knob = (path: KnobPath, kind: KnobKind, label: Knob['label']): Knob[] => {
    const node = doc.getIn(path, true);
    if (!isScalar(node)) return [];
    const value = node.value;
    if (kind === 'number' ? typeof value !== 'number' : typeof value !== 'string') return [];
    return [{ path, kind, value: kind === 'number' ? Number(value) : String(value), label }];
  };
  const message = (id: string, values?: Record<string, string>) => ({ id, values });
  const sections: KnobSection[] = [
    {
      id: 'fit',
      groups: [
        {
          title: null,
          knobs: ['A', 'B', 'C'].flatMap((grade) =>
            knob(['fit', 'grades', grade], 'number', message('playbook.form.gradeFrom', { grade })),
          ),
        },
        ...ruleGroups(doc, 'fit', knob),
      ],
    },
    {
      id: 'engagement',
      groups: [
        {
          title: null,
          knobs: [
            ...knob(['engagement', 'temperatures', 'hot'], 'number', message('playbook.form.hotFrom')),
            ...knob(['engagement', 'temperatures', 'warm'], 'number', message('playbook.form.warmFrom')),
            ...knob(['engagement', 'defaultHalfLife'], 'duration', message('playbook.form.halfLife')),
            ...knob(['engagement', 'cap'], 'number', message('playbook.form.engagementCap')),
          ],
        },
        ...ruleGroups(doc, 'engagement', knob),
      ],
    },
    {
      id: 'qualification',
      groups: [
        {
          title: null,
          knobs: [
            ...items(doc, ['mql', 'criteria']).flatMap((criterion, index) =>
              knob(['mql', 'criteria', index, 'when'], 'text', { text: labelOf(criterion) }),
            ),
            ...knob(['handRaisers', 'minFit'], 'number', message('playbook.form.minFit')),
          ],
        },
      ],
    },
    {
      id: 'handoff',
      groups: [
        {
          title: null,
          knobs: [
            ...knob(['handoff', 'sla', 'firstTouchWithin'], 'duration', message('playbook.form.firstTouch')),
            ...knob(['handoff', 'mqlExpiry', 'after'], 'duration', message('playbook.form.mqlExpiry')),
          ],
        },
      ],
    },
  ];
  return sections.map((section) => ({ ...section, groups: section.groups.filter((group) => group.knobs.length > 0) }));
}

/** Each group of fit or engagement rules, with every rule's points. */
function ruleGroups(
  doc: Doc,
  side: 'fit' | 'engagement',
  knob: (path: KnobPath, kind: KnobKind, label: Knob['label']) => Knob[],
): KnobGroup[] {
  return items(doc, [side, 'groups']).map((group, groupIndex) => ({
    title: labelOf(group),
    knobs: items(doc, [side, 'groups', groupIndex, 'rules']).flatMap((rule, ruleIndex) =>
      knob([side, 'groups', groupIndex, 'rules', ruleIndex, 'points'], 'number', { text: labelOf(rule) }),
    ),
  }));
}

function items(doc: Doc, path: KnobPath): Node[] {
  const node = doc.getIn(path, true);
  return isSeq(node) ? node.items.filter((item): item is Node => isMap(item)) : [];
}

function labelOf(node: Node): string {
  if (!isMap(node)) return '';
  return String(node.get('label') ?? node.get('id') ?? '');
}
