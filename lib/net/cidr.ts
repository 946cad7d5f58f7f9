import ipaddr from 'ipaddr.js';

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

function normalizeAddress(ip: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  if (!ipaddr.isValid(ip)) return null;
  const parsed = ipaddr.parse(ip);
  // Compare IPv4-mapped IPv6 peers (::ffff:1.2.3.4) with IPv4 ranges.
  return parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()
    ? (parsed as ipaddr.IPv6).toIPv4Address()
    : parsed;
}

/** parseCidr accepts "10.0.0.0/8", "2001:db8::/32" or a single address; null when invalid. */
export function parseCidr(value: string): Range | null {
  const text = value.trim();
  try {
    if (text.includes('/')) {
      const [addr, bits] = ipaddr.parseCIDR(text);
      return [addr, bits];
    }
    const addr = normalizeAddress(text);
    return addr ? [addr, addr.kind() === 'ipv4' ? 32 : 128] : null;
  } catch {
    return null;
  }
}

/** isValidCidr tells whether a string is a CIDR block or a single IP address. */
export function isValidCidr(value: string): boolean {
  return parseCidr(value) !== null;
}

/** ipMatches tells whether `ip` lies in any of `ranges` (strings as parseCidr accepts). */
export function ipMatches(ip: string, ranges: readonly string[]): boolean {
  const addr = normalizeAddress(ip);
  if (!addr) return false;
  return ranges.some((r) => {
    const range = parseCidr(r);
    return range !== null && range[0].kind() === addr.kind() && addr.match(range);
  });
}
