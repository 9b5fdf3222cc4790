import { lookup as lookupAddresses } from 'node:dns/promises';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { err, ok, type Result } from '../../core/result.ts';

/**
 * Webhook URLs are typed in by workspace users, so without a check a webhook could make the server call its
 * own admin ports, the cloud metadata service or the office network (SSRF). Every address a URL resolves to
 * must be public unless an admin allows it; delivery then connects only to the checked addresses.
 */

export type WebhookUrlError = { kind: 'invalid-url' | 'private-address' | 'unresolvable'; message: string };

export interface CheckWebhookUrlOptions {
  /** CIDRs (`10.0.0.0/8`, `fd00::/8`), single addresses or host names an admin allows despite the rule. */
  allowList: readonly string[];
  /** Resolves a host name to all its addresses; defaults to the system resolver (`dns.lookup`, all results). */
  lookup?: (hostname: string) => Promise<string[]>;
}

/** The setting an admin uses to allow a refused target; config.ts reads it. */
export const ALLOW_SETTING = 'RIPEN_WEBHOOK_ALLOW';

type Family = 'ipv4' | 'ipv6';

/** Refused ranges, first match wins, so the narrow ones come before the ranges that contain them. */
const REFUSED_RANGES = [
  { description: 'the cloud metadata address', cidrs: ['169.254.169.254/32', 'fd00:ec2::254/128'] },
  { description: 'an unspecified address', cidrs: ['0.0.0.0/8', '::/128'] },
  { description: 'a loopback address', cidrs: ['127.0.0.0/8', '::1/128'] },
  {
    description: 'a private address',
    cidrs: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7', 'fec0::/10'],
  },
  { description: 'a link-local address', cidrs: ['169.254.0.0/16', 'fe80::/10'] },
  { description: 'a carrier-grade NAT (shared) address', cidrs: ['100.64.0.0/10'] },
  { description: 'a multicast address', cidrs: ['224.0.0.0/4', 'ff00::/8'] },
  { description: 'the broadcast address', cidrs: ['255.255.255.255/32'] },
  {
    description: 'a reserved address',
    cidrs: [
      '192.0.0.0/24',
      '192.0.2.0/24',
      '198.18.0.0/15',
      '198.51.100.0/24',
      '203.0.113.0/24',
      '240.0.0.0/4',
      '::/96',
      '100::/64',
      '2001:db8::/32',
    ],
  },
].map(({ description, cidrs }) => {
  const list = new BlockList();
  for (const cidr of cidrs) addCidr(list, cidr);
  return { description, cidrs, list };
});

/**
 * Checks a webhook URL before it is saved and again before each delivery (DNS answers change).
 * Refuses non-http(s) schemes, credentials in the URL, hosts that do not resolve, and hosts with ANY address
 * that is loopback, private, link-local, metadata, unspecified, CGNAT, multicast, broadcast or reserved,
 * including IPv4-mapped (`::ffff:127.0.0.1`) and NAT64 (`64:ff9b::/96`) forms of those, unless the address
 * is inside an allow-list CIDR or the host name itself is on the allow-list.
 *
 * Deliver to the returned `addresses` only (see {@link createCheckedAgentLookup}), not to a fresh lookup.
 */
export async function checkWebhookUrl(
  input: string,
  options: CheckWebhookUrlOptions,
): Promise<Result<{ url: URL; addresses: string[] }, WebhookUrlError>> {
  const parsed = parseWebhookUrl(input);
  if (!parsed.ok) return parsed;
  const url = parsed.value;
  const shown = url.href;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');

  let addresses: string[];
  if (isIP(host) !== 0) {
    addresses = [host];
  } else {
    const resolved = await resolveHost(host, options.lookup ?? lookupAll);
    if (!resolved.ok) return err({ kind: 'unresolvable', message: `webhook URL ${shown}: ${resolved.error}` });
    addresses = resolved.value;
  }

  const allow = compileAllowList(options.allowList);
  if (allow.hostnames.has(host.toLowerCase())) return ok({ url, addresses });
  for (const address of addresses) {
    const refusal = classifyAddress(address);
    if (refusal === null || isAllowed(allow.list, address)) continue;
    const v4 = embeddedIpv4(address);
    const named = v4 === null ? address : `${address} (IPv4 ${v4})`;
    const cidr = v4 === null ? `${address}/${isIP(address) === 6 ? 128 : 32}` : `${v4}/32`;
    const orHost = isIP(host) === 0 ? ` or ${ALLOW_SETTING}=${host}` : '';
    return err({
      kind: 'private-address',
      message:
        `webhook URL ${shown} resolves to ${named}, ${refusal}; Ripen refuses private, loopback and link-local ` +
        `targets. An admin can allow it with ${ALLOW_SETTING}=${cidr}${orHost}`,
    });
  }
  return ok({ url, addresses });
}

/**
 * Splits and validates the `RIPEN_WEBHOOK_ALLOW` setting (entries separated by commas or spaces).
 * Throws with the offending entry, like the other settings in config.ts.
 */
export function parseWebhookAllowList(raw: string | undefined): string[] {
  const entries = (raw ?? '').split(/[\s,]+/).filter((entry) => entry !== '');
  compileAllowList(entries);
  return entries;
}

/**
 * A `lookup` for `http.request` / `https.request` (or undici's `connect: { lookup }`) that answers with the
 * addresses {@link checkWebhookUrl} approved instead of asking DNS again. Without it, a host could resolve to a
 * public address for the check and to 127.0.0.1 for the connection (DNS rebinding). The Host header and TLS
 * server name still come from the URL, so HTTPS certificates are verified as usual. Use one per delivery, and
 * do not follow redirects (a redirect target has not been checked).
 */
export function createCheckedAgentLookup(addresses: readonly string[]): LookupFunction {
  const entries = addresses.map((address) => ({ address, family: isIP(address) }));
  if (entries.length === 0 || entries.some((entry) => entry.family === 0)) {
    throw new Error(`createCheckedAgentLookup needs the IP addresses checkWebhookUrl returned, got ${addresses}`);
  }
  return (hostname, options, callback) => {
    const wanted = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : (options.family ?? 0);
    const usable = entries.filter((entry) => wanted === 0 || entry.family === wanted);
    // Node expects the callback asynchronously, as dns.lookup would call it.
    process.nextTick(() => {
      const first = usable[0];
      if (first === undefined) {
        const error: NodeJS.ErrnoException = new Error(`no checked IPv${wanted} address for ${hostname}`);
        error.code = 'ENOTFOUND';
        callback(error, '');
      } else if (options.all) {
        callback(null, usable);
      } else {
        callback(null, first.address, first.family);
      }
    });
  };
}

function parseWebhookUrl(input: string): Result<URL, WebhookUrlError> {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return invalid(`webhook URL \`${input}\` is not a valid URL; use an absolute URL like https://example.com/hooks`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return invalid(`webhook URL \`${input}\` uses ${url.protocol}; only http: and https: URLs are allowed`);
  }
  if (url.username !== '' || url.password !== '') {
    // Not echoed: the input holds a password.
    return invalid(
      'webhook URL must not contain a user name or password; receivers authenticate Ripen by verifying the `webhook-signature` header',
    );
  }
  if (url.hostname === '') return invalid(`webhook URL \`${input}\` has no host`);
  return ok(url);
}

function invalid(message: string): Result<never, WebhookUrlError> {
  return err({ kind: 'invalid-url', message });
}

async function resolveHost(
  host: string,
  lookup: (hostname: string) => Promise<string[]>,
): Promise<Result<string[], string>> {
  let addresses: string[];
  try {
    addresses = await lookup(host);
  } catch (error) {
    const code = typeof error === 'object' && error !== null && 'code' in error ? ` (${String(error.code)})` : '';
    return err(`host ${host} could not be resolved${code}; check the spelling and its DNS record`);
  }
  if (addresses.length === 0) return err(`host ${host} has no addresses; check its DNS record`);
  const bad = addresses.find((address) => isIP(address) === 0);
  if (bad !== undefined) return err(`host ${host} resolved to \`${bad}\`, which is not an IP address`);
  return ok(addresses.map(normalizeAddress));
}

async function lookupAll(hostname: string): Promise<string[]> {
  const results = await lookupAddresses(hostname, { all: true, verbatim: true });
  return results.map((result) => result.address);
}

/** The description of the refused range `address` is in, or `null` for a public address. */
function classifyAddress(address: string): string | null {
  const v4 = embeddedIpv4(address);
  const [candidate, family]: [string, Family] = v4 === null ? [address, familyOf(address)] : [v4, 'ipv4'];
  return REFUSED_RANGES.find((range) => range.list.check(candidate, family))?.description ?? null;
}

function isAllowed(allow: BlockList, address: string): boolean {
  const v4 = embeddedIpv4(address);
  return allow.check(address, familyOf(address)) || (v4 !== null && allow.check(v4, 'ipv4'));
}

function compileAllowList(entries: readonly string[]): { list: BlockList; hostnames: Set<string> } {
  const list = new BlockList();
  const hostnames = new Set<string>();
  for (const entry of entries) {
    const address = entry.includes('/') ? entry.slice(0, entry.indexOf('/')) : entry;
    if (isIP(address) !== 0) {
      addCidr(list, entry.includes('/') ? entry : `${entry}/${isIP(entry) === 6 ? 128 : 32}`);
    } else if (/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.?$/i.test(entry)) {
      hostnames.add(entry.toLowerCase().replace(/\.$/, ''));
    } else {
      throw new Error(
        `${ALLOW_SETTING} entry \`${entry}\` must be a CIDR like 10.0.0.0/8, an IP address or a host name`,
      );
    }
  }
  return { list, hostnames };
}

function addCidr(list: BlockList, cidr: string): void {
  const [address = '', prefixText = '', ...rest] = cidr.split('/');
  const family = familyOf(address);
  const prefix = Number(prefixText);
  if (rest.length > 0 || !/^\d{1,3}$/.test(prefixText) || prefix > (family === 'ipv4' ? 32 : 128)) {
    throw new Error(`${ALLOW_SETTING} entry \`${cidr}\` has an invalid prefix length; use e.g. 10.0.0.0/8 or fd00::/8`);
  }
  list.addSubnet(address, prefix, family);
}

function familyOf(address: string): Family {
  return isIP(address) === 6 ? 'ipv6' : 'ipv4';
}

/** Canonical text form, so `::FFFF:127.0.0.1` and `::ffff:7f00:1` compare and print alike. */
function normalizeAddress(address: string): string {
  return isIP(address) === 6 ? new URL(`http://[${address}]/`).hostname.slice(1, -1) : address;
}

/** The IPv4 address inside an IPv4-mapped (`::ffff:0:0/96`) or NAT64 (`64:ff9b::/96`) IPv6 address. */
function embeddedIpv4(address: string): string | null {
  if (isIP(address) !== 6) return null;
  const groups = expandIpv6(normalizeAddress(address));
  const prefix = groups.slice(0, 6).join(':');
  if (prefix !== '0:0:0:0:0:65535' && prefix !== '100:65435:0:0:0:0') return null;
  const [high = 0, low = 0] = groups.slice(6);
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/** Eight 16-bit groups of a canonical (no dotted quad) IPv6 address. */
function expandIpv6(address: string): number[] {
  const [head = '', tail] = address.split('::');
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((group) => Number.parseInt(group, 16)));
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}
