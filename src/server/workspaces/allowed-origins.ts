import { err, type Failure, ok, type Result } from '../../core/result.ts';

export type OriginFailure = Failure<'invalid-origin'>;

/** At most this many origins per key: a website, its other hostnames, staging. */
const MAX_ORIGINS = 50;

/**
 * Reads the origins a write key may be used from, as people type them (`example.com`,
 * `https://www.example.com/`), into the form browsers send in `Origin`
 * (`https://www.example.com`). Paths, queries and credentials are refused rather than
 * silently dropped, so nobody thinks a path restricts anything.
 */
export function parseAllowedOrigins(entries: readonly string[]): Result<string[], OriginFailure> {
  const origins = new Set<string>();
  for (const entry of entries) {
    const text = entry.trim();
    if (text === '') continue;
    const parsed = parseOrigin(text);
    if (!parsed.ok) return parsed;
    origins.add(parsed.value);
  }
  if (origins.size > MAX_ORIGINS) {
    return err({ kind: 'invalid-origin', message: `at most ${MAX_ORIGINS} origins per key; create another key` });
  }
  return ok([...origins].sort());
}

function parseOrigin(text: string): Result<string, OriginFailure> {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return invalid(text, 'it is not a web address; write it like https://www.example.com');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return invalid(text, 'only http:// and https:// sites send events');
  }
  if (url.username || url.password) return invalid(text, 'leave out the user name and password');
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    return invalid(text, 'an origin has no path, query or fragment: keep only the scheme, host and port');
  }
  return ok(url.origin);
}

function invalid(text: string, why: string): Result<never, OriginFailure> {
  return err({ kind: 'invalid-origin', message: `allowed origin \`${text}\`: ${why}`, details: { origin: text } });
}

/**
 * Whether a browser request from `origin` may use a key limited to `allowed`. Requests
 * without an `Origin` header (servers, CDPs) are not browsers' and pass; an empty list
 * allows every origin.
 */
export function isOriginAllowed(allowed: readonly string[], origin: string | undefined): boolean {
  if (allowed.length === 0 || origin === undefined) return true;
  return allowed.includes(origin.toLowerCase());
}
