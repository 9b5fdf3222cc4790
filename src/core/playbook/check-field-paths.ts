import { LineCounter, parseDocument } from 'yaml';
import { formatFieldPath } from '../describe-input.ts';
import { locate, type PlaybookIssue } from './parse-playbook.ts';

/**
 * The fields conditions can read on each subject: its own fields and the property keys in
 * use; null when there are no such records yet to compare with (nothing is warned about).
 */
export interface KnownFields {
  contact: ReadonlySet<string> | null;
  company: ReadonlySet<string> | null;
}

/**
 * Warnings for conditions on `contact.X` or `company.X` where X is neither a field of that
 * subject nor a property any of them has: such a condition validates but never matches
 * (`contact.LeadOrigin` for a property named `lead_origin`). `properties.…` paths are taken
 * as they are. Warnings never make a playbook invalid. The source must already parse.
 */
export function checkFieldPaths(source: string, known: KnownFields): PlaybookIssue[] {
  const counter = new LineCounter();
  const doc = parseDocument(source, { lineCounter: counter });
  const warnings: PlaybookIssue[] = [];
  const visit = (node: unknown, segments: Array<string | number>) => {
    if (Array.isArray(node)) {
      for (const [index, item] of node.entries()) visit(item, [...segments, index]);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (typeof record.op === 'string' && typeof record.field === 'string') {
      const warning = checkPath(record.field, known);
      if (warning !== null) {
        const position = locate(doc, counter, [...segments, 'field']);
        const line = position?.line ?? null;
        warnings.push({
          line,
          column: position?.column ?? null,
          field: formatFieldPath([...segments, 'field']),
          expected: 'a field or property some contact or company has',
          found: record.field,
          message: `${line === null ? 'playbook' : `playbook line ${line}`}: ${warning}`,
        });
      }
    }
    for (const [key, value] of Object.entries(record)) visit(value, [...segments, key]);
  };
  visit(doc.toJS({ maxAliasCount: 100 }), []);
  return warnings;
}

function checkPath(path: string, known: KnownFields): string | null {
  const [subject, name] = path.split('.');
  if ((subject !== 'contact' && subject !== 'company') || name === undefined || name === 'properties') return null;
  const fields = known[subject];
  if (fields === null || fields.has(name)) return null;
  const near = [...fields].find(
    (field) => field.toLowerCase().replace(/[_\s-]/g, '') === name.toLowerCase().replace(/[_\s-]/g, ''),
  );
  const hint = near ? `; did you mean \`${subject}.${near}\`?` : '';
  return `\`${path}\` is not a ${subject} field nor a property any ${subject} has, so this condition never matches${hint}`;
}
