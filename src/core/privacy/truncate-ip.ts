/**
 * An IP address with its host part dropped, so a stored event no longer points to one
 * device: IPv4 keeps its first three bytes (/24: `203.0.113.77` → `203.0.113.0`), IPv6 its
 * first three groups (/48: `2001:db8:85a3::8a2e:370:7334` → `2001:db8:85a3::`), an IPv4
 * address written as IPv6 (`::ffff:203.0.113.77`) is truncated as IPv4. Text that is not an
 * IP address gives null: it is not stored at all.
 */
export function truncateIp(text: string): string | null {
  const ip = text.trim();
  const v4 = truncateV4(ip);
  if (v4 !== null) return v4;
  const mapped = /^::ffff:([0-9.]+)$/i.exec(ip);
  if (mapped) {
    const inner = truncateV4(mapped[1] as string);
    return inner === null ? null : `::ffff:${inner}`;
  }
  const groups = expandV6(ip);
  if (groups === null) return null;
  return `${groups
    .slice(0, 3)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':')}::`;
}

function truncateV4(ip: string): string | null {
  const parts = ip.split('.');
  if (parts.length !== 4) return null;
  if (!parts.every((part) => /^[0-9]{1,3}$/.test(part) && Number(part) <= 255)) return null;
  return `${parts.slice(0, 3).map(Number).join('.')}.0`;
}

/** The eight 16-bit groups of an IPv6 address (zone id dropped), or null when it is not one. */
function expandV6(ip: string): string[] | null {
  let address = ip.replace(/%.*$/, '');
  // An IPv4 address as the last 32 bits (`64:ff9b::198.51.100.9`) is two groups.
  const dotted = /^(.*:)([0-9.]+)$/.exec(address);
  if (dotted && (dotted[2] as string).includes('.')) {
    const bytes = (dotted[2] as string).split('.');
    if (bytes.length !== 4 || !bytes.every((byte) => /^[0-9]{1,3}$/.test(byte) && Number(byte) <= 255)) return null;
    const [a, b, c, d] = bytes.map(Number) as [number, number, number, number];
    address = `${dotted[1]}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  if (!/^[0-9a-f:]+$/i.test(address) || address.length < 2) return null;
  const halves = address.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] === '' ? [] : (halves[0] as string).split(':');
  const tail = halves.length === 2 ? (halves[1] === '' ? [] : (halves[1] as string).split(':')) : [];
  if (![...head, ...tail].every((group) => /^[0-9a-f]{1,4}$/i.test(group))) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  return [...head, ...Array<string>(Math.max(missing, 0)).fill('0'), ...tail].map((group) => group.toLowerCase());
}

/**
 * A message context with `ip` truncated (or removed when it is not an IP address); the same
 * object when it has no `ip`.
 */
export function withTruncatedIp(context: Record<string, unknown>): Record<string, unknown> {
  if (!Object.hasOwn(context, 'ip')) return context;
  const { ip, ...rest } = context;
  const truncated = typeof ip === 'string' ? truncateIp(ip) : null;
  return truncated === null ? rest : { ...rest, ip: truncated };
}
