/**
 * First-party storage on the customer's site: a cookie, with localStorage as the fallback
 * (and the only place for the send queue, too big for a cookie). Every write goes through
 * `allowed`, so consent mode can keep the snippet from storing anything at all.
 */
export interface Storage {
  get(name: string): string | null;
  set(name: string, value: string, cookie?: boolean): void;
  remove(name: string): void;
}

const YEAR_SECONDS = 31_536_000;

function readCookie(name: string): string | null {
  for (const part of document.cookie.split('; ')) {
    if (part.startsWith(`${name}=`)) return decodeURIComponent(part.slice(name.length + 1));
  }
  return null;
}

function writeCookie(name: string, value: string, maxAge: number): void {
  const secure = location.protocol === 'https:' ? '; secure' : '';
  // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is missing from Safari and Firefox.
  document.cookie = `${name}=${encodeURIComponent(value)}; path=/; max-age=${maxAge}; samesite=lax${secure}`;
}

function local(): globalThis.Storage | null {
  try {
    return window.localStorage;
  } catch {
    // Blocked storage (privacy settings, sandboxed frames) throws on access.
    return null;
  }
}

/** Storage that writes only while `allowed()` says so; reading never stores anything. */
export function createStorage(allowed: () => boolean): Storage {
  return {
    get(name) {
      try {
        return readCookie(name) ?? local()?.getItem(name) ?? null;
      } catch {
        return null;
      }
    },
    set(name, value, cookie = false) {
      if (!allowed()) return;
      try {
        if (cookie) writeCookie(name, value, YEAR_SECONDS);
        local()?.setItem(name, value);
      } catch {
        // Full or blocked storage: the snippet still works for this page.
      }
    },
    remove(name) {
      try {
        writeCookie(name, '', 0);
        local()?.removeItem(name);
      } catch {
        // Nothing stored, nothing to remove.
      }
    },
  };
}

/** A random version-4 UUID from `crypto.getRandomValues` (randomUUID needs a secure context). */
export function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  let hex = '';
  for (const byte of bytes) hex += (byte + 256).toString(16).slice(1);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
