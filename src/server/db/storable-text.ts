/**
 * Text PostgreSQL cannot store: the NUL character (refused in `text` and in `jsonb`), and
 * UTF-16 surrogates without their pair (JavaScript strings may hold them; they have no UTF-8
 * form, and `jsonb` refuses their escapes).
 */
const UNSTORABLE = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function isStorableText(text: string): boolean {
  return !UNSTORABLE.test(text);
}

/** What is wrong with a text that is not storable, for an error message. */
export function describeUnstorableText(text: string): string {
  return text.includes('\0')
    ? 'contains the NUL character (\\u0000), which cannot be stored; remove it'
    : 'contains a lone UTF-16 surrogate (half of an emoji or other character), which is not valid Unicode; send whole characters';
}

/**
 * The path (`properties.plan`, `context.traits[2]`) of the first string or object key in a
 * parsed JSON value that cannot be stored, or null when every text is storable. Values nested
 * deeper than `maxDepth` are not looked into (callers refuse them first).
 */
export function findUnstorableText(value: unknown, maxDepth = 100): { path: string; text: string } | null {
  return walk(value, '', 0, maxDepth);
}

function walk(value: unknown, path: string, depth: number, maxDepth: number): { path: string; text: string } | null {
  if (typeof value === 'string') return isStorableText(value) ? null : { path: path || '(value)', text: value };
  if (value === null || typeof value !== 'object' || depth >= maxDepth) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = walk(value[i], `${path}[${i}]`, depth + 1, maxDepth);
      if (found) return found;
    }
    return null;
  }
  for (const key in value) {
    const keyPath = path ? `${path}.${key}` : key;
    if (!isStorableText(key)) return { path: `${path ? `${path}.` : ''}(a key)`, text: key };
    const found = walk((value as Record<string, unknown>)[key], keyPath, depth + 1, maxDepth);
    if (found) return found;
  }
  return null;
}

/** Makes any text storable, for messages that quote what a client sent (NUL and lone surrogates become U+FFFD). */
export function toStorableText(text: string): string {
  return isStorableText(text)
    ? text
    : text.replace(/\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}
