/** Expected failures are values: a `Result` is either `{ ok: true, value }` or `{ ok: false, error }`. */
export type Result<T, E> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

export function err<E>(error: E): { readonly ok: false; readonly error: E } {
  return { ok: false, error };
}

/** Ends an exhaustive `switch`: the compiler proves it unreachable, and it throws if reached at run time. */
export function assertUnreachable(value: never): never {
  throw new Error(`unreachable: ${JSON.stringify(value)}`);
}

/**
 * An expected failure a service returns: its `kind` (which the feature's status table maps to
 * an HTTP status), a message saying what to do, and details a client can act on.
 */
export interface Failure<Kind extends string> {
  readonly kind: Kind;
  readonly message: string;
  readonly details?: unknown;
}
