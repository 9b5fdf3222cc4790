import { err, type Failure, ok, type Result } from '../result.ts';

/**
 * A cell key names the leads behind one figure of a report: `month=2026-03;group=google;stage=sql`.
 * Parts are `name=value` joined by `;`, in the order the report gives them; values are
 * URI-encoded, so a group named `a;b` or `x=y` survives. Keys are readable in a URL and in the
 * terminal, and opaque to clients, which only pass them back.
 */
export type CellFailure = Failure<'invalid-cell'>;

/** Formats the parts whose value is not null, in the order given. */
export function formatCell(parts: ReadonlyArray<readonly [string, string | null]>): string {
  return parts
    .filter((part): part is readonly [string, string] => part[1] !== null)
    .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
    .join(';');
}

/**
 * Reads a cell key back, accepting only the part names a report knows (`allowed`) and, where
 * given, only the listed values for a part; `required` parts must be present.
 */
export function parseCell(
  cell: string,
  spec: {
    allowed: readonly string[];
    required?: readonly string[];
    values?: Readonly<Record<string, readonly string[]>>;
  },
): Result<Record<string, string>, CellFailure> {
  const parts: Record<string, string> = {};
  const fail = (problem: string) =>
    err<CellFailure>({
      kind: 'invalid-cell',
      message: `the cell \`${cell}\` ${problem}; pass back a \`cell\` from this report's answer`,
    });
  for (const piece of cell === '' ? [] : cell.split(';')) {
    const equals = piece.indexOf('=');
    if (equals <= 0) return fail(`has a part without a name=value (\`${piece}\`)`);
    const name = piece.slice(0, equals);
    let value: string;
    try {
      value = decodeURIComponent(piece.slice(equals + 1));
    } catch {
      return fail(`has a badly encoded value for \`${name}\``);
    }
    if (!spec.allowed.includes(name))
      return fail(`names \`${name}\`, which this report has not; it has ${spec.allowed.join(', ')}`);
    if (Object.hasOwn(parts, name)) return fail(`names \`${name}\` twice`);
    const values = spec.values?.[name];
    if (values && !values.includes(value))
      return fail(`has ${name} \`${value}\`; it must be one of ${values.join(', ')}`);
    parts[name] = value;
  }
  const missing = (spec.required ?? []).filter((name) => !Object.hasOwn(parts, name));
  if (missing.length > 0) return fail(`lacks ${missing.map((name) => `\`${name}\``).join(', ')}`);
  return ok(parts);
}
