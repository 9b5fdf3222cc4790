import { isScalar, parseDocument, Scalar } from 'yaml';

/** A change to YAML text: replace `from`..`to` by `insert` (what CodeMirror dispatches). */
export interface TextChange {
  from: number;
  to: number;
  insert: string;
}

export type YamlPath = ReadonlyArray<string | number>;

/**
 * The smallest change that sets one scalar of a playbook's YAML: only the value's own characters
 * are replaced, so every comment, anchor and line of layout around it stays as written. Null when
 * the path is not a scalar in the YAML or already holds the value.
 */
export function setYamlValue(source: string, path: YamlPath, value: number | string): TextChange | null {
  const doc = parseDocument(source);
  const node = doc.getIn(path, true);
  if (!isScalar(node) || !node.range || node.value === value) return null;
  const [from, to] = node.range;
  for (const insert of spellings(node, value)) {
    const next = source.slice(0, from) + insert + source.slice(to);
    const check = parseDocument(next);
    if (check.errors.length === 0 && check.getIn(path) === value) return { from, to, insert };
  }
  return null;
}

/** The text with the change made. */
export function applyTextChange(source: string, change: TextChange): string {
  return source.slice(0, change.from) + change.insert + source.slice(change.to);
}

/** How to write a value, simplest first: as it was quoted before, else plain, else double-quoted. */
function spellings(node: Scalar, value: number | string): string[] {
  if (typeof value === 'number') return [String(value)];
  const single = `'${value.replaceAll("'", "''")}'`;
  const double = JSON.stringify(value);
  switch (node.type) {
    case Scalar.QUOTE_SINGLE:
      return [single, double];
    case Scalar.QUOTE_DOUBLE:
      return [double];
    default:
      return [value, double];
  }
}
