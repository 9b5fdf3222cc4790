import { ApiError } from './api-error.ts';

/** Opaque pagination cursors: base64url JSON of the sort key of the last row returned. */
export function encodeCursor(key: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string, arity: number): unknown[] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === arity) return value;
  } catch {
    // fall through to the error below
  }
  throw new ApiError(400, 'invalid_cursor', 'the `cursor` is not one this API returned; start again without it');
}

/**
 * Turns `limit + 1` fetched rows into a page: the first `limit` rows, mapped, and a cursor
 * to the next page (built from the last row's sort key) when the extra row says there is one.
 */
export function toPage<Row, Item>(
  rows: readonly Row[],
  limit: number,
  sortKey: (row: Row) => readonly unknown[],
  toItem: (row: Row) => Item,
): { items: Item[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(toItem),
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(sortKey(last)) : null,
  };
}
