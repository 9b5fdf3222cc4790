/**
 * Errors that mean "the database cannot be reached right now", as opposed to a bad
 * statement or bad data: connection refused or reset, the server shutting down or starting
 * up, a session ended by an administrator, and the errors `pg` raises for a connection that
 * died under it. Such a request stored nothing and may be retried as it is.
 */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  // admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);

const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'Client has encountered a connection error and is not queryable',
  'timeout exceeded when trying to connect',
];

export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = 'code' in error ? error.code : undefined;
  // Class 08: connection exceptions.
  if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
  if (UNAVAILABLE_MESSAGES.some((start) => error.message.startsWith(start))) return true;
  // A connection attempt that fails on several addresses reports them together.
  if (error instanceof AggregateError) return error.errors.some(isDatabaseUnavailable);
  return false;
}
