import { type RawBuilder, sql } from 'kysely';

/**
 * Bulk statements pass rows as one JSON parameter expanded by `jsonb_to_recordset`:
 * one round trip, one parameter, identical on PostgreSQL and PGlite.
 */
export function jsonRows(rows: readonly object[]): RawBuilder<unknown> {
  return sql`${JSON.stringify(rows)}::jsonb`;
}

/**
 * Runs independent writes as one statement (one round trip): all but the last become
 * data-modifying `with` queries, which PostgreSQL runs exactly once each whether or not the
 * main statement reads them. The writes must not touch the same rows: they all see the
 * snapshot from before the statement. Null entries (nothing to write) are left out.
 */
export function combineWrites(writes: ReadonlyArray<RawBuilder<unknown> | null>): RawBuilder<unknown> | null {
  const present = writes.filter((write): write is RawBuilder<unknown> => write !== null);
  const last = present.pop();
  if (last === undefined) return null;
  if (present.length === 0) return last;
  const parts = present.map((write, index) => sql`${sql.raw(`w${index}`)} as (${write})`);
  return sql`with ${sql.join(parts, sql`, `)} ${last}`;
}

/** Postgres error codes worth retrying the whole transaction for. */
const RETRYABLE = new Set(['40001', '40P01']);

export function isRetryableTransactionError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && RETRYABLE.has(String(error.code));
}

/** A unique violation of the named constraint: a concurrent transaction committed the same key first. */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    error.code === '23505' &&
    'constraint' in error &&
    error.constraint === constraint
  );
}

/** Runs `work` (a whole transaction) again on serialization failures, deadlocks, or `retryOn`. */
export async function withRetry<T>(
  work: () => Promise<T>,
  attempts = 4,
  retryOn: (error: unknown) => boolean = () => false,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts || !(isRetryableTransactionError(error) || retryOn(error))) throw error;
    }
  }
}

/**
 * `column = any($1::text[])`: one array parameter instead of an IN list of N parameters,
 * which both PostgreSQL and PGlite plan and bind far faster for large lists.
 */
export function anyText(values: readonly string[]): RawBuilder<string> {
  return sql<string>`any(${[...values]}::text[])`;
}

export function anyUuid(values: readonly string[]): RawBuilder<string> {
  return sql<string>`any(${[...values]}::uuid[])`;
}
