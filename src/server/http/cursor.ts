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
