import type { EmailEvent, MachineReason } from './email-event.ts';

/**
 * Apple Mail Privacy Protection fetches every tracking pixel through Apple's proxy when the
 * mail arrives, whether or not the person reads it; the proxy identifies as a bare
 * `Mozilla/5.0`, which no real mail client sends.
 */
const APPLE_PROXY_USER_AGENT = 'mozilla/5.0';

/**
 * Link scanners of mail gateways and security suites, and the HTTP libraries automated
 * checks use. Gmail's and Yahoo's image proxies are not here: they fetch when a person opens.
 */
const SCANNER_USER_AGENT =
  /barracuda|mimecast|proofpoint|messagelabs|symantec|trend ?micro|forcepoint|ironport|fireeye|zscaler|safelinks|urldefense|sophos|bitdefender|kaspersky|checkpoint|python-requests|python-urllib|go-http-client|okhttp|curl\/|wget\/|libwww|headlesschrome|phantomjs|\b(bot|crawler|spider|scanner)\b/i;

/** A click this soon after sending is a gateway following the links, not a person reading. */
export const SCANNER_CLICK_WINDOW_MS = 10_000;

/**
 * Whether an open or click was a machine's, and why; null for a person's (and for every
 * other kind of event). Such events are stored but, by default, not scored.
 */
export function detectMachineEngagement(event: EmailEvent): MachineReason | null {
  if (event.kind !== 'open' && event.kind !== 'click') return null;
  if (event.providerMachine) return 'provider-flagged';
  const agent = event.userAgent?.trim().toLowerCase() ?? null;
  if (event.kind === 'open' && agent === APPLE_PROXY_USER_AGENT) return 'apple-privacy-proxy';
  if (agent !== null && SCANNER_USER_AGENT.test(agent)) return 'security-scanner';
  if (event.kind === 'click' && event.sentAt !== null && event.occurredAt - event.sentAt < SCANNER_CLICK_WINDOW_MS) {
    return 'clicked-right-after-send';
  }
  return null;
}
