/**
 * How error messages name what a user sent, the same in playbook issues and API errors:
 * `routing.teams[0].reps` for a field, `"fortnight"` for a value.
 */

/** A field path as people read it: `handoff.sla[2].within`; `(document)` for the whole input. */
export function formatFieldPath(segments: ReadonlyArray<string | number>): string {
  let text = '';
  for (const segment of segments) {
    text += typeof segment === 'number' ? `[${segment}]` : text === '' ? segment : `.${segment}`;
  }
  return text === '' ? '(document)' : text;
}

/** A value as it was sent, as JSON cut to 60 characters; `nothing` for a missing one. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
