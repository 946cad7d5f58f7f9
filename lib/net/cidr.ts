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

/**
 * canonicalRange writes a block of IPv4-mapped IPv6 addresses (::ffff:10.0.0.0/104) as the IPv4
 * block it is (10.0.0.0/8). Peers are compared in their IPv4 form (normalizeAddress), so an
 * allow-list entry written either way matches a peer arriving either way: a mapped entry left
 * as IPv6 would never match and lock the account's callers out.
 */
function canonicalRange(addr: ipaddr.IPv4 | ipaddr.IPv6, bits: number): Range {
  if (addr.kind() === 'ipv6' && bits >= 96 && (addr as ipaddr.IPv6).isIPv4MappedAddress())
    return [(addr as ipaddr.IPv6).toIPv4Address(), bits - 96];
  return [addr, bits];
}

/**
 * parseCidr accepts "10.0.0.0/8", "2001:db8::/32" or a single address; null when invalid.
 * IPv4-mapped IPv6 entries (::ffff:a.b.c.d, ::ffff:a.b.c.0/120) come back as their IPv4 form.
 */
export function parseCidr(value: string): Range | null {
  const text = value.trim();
  try {
    if (text.includes('/')) {
      const [addr, bits] = ipaddr.parseCIDR(text);
      return canonicalRange(addr, bits);
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
