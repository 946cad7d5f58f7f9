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

export type CidrEntryCheck = { ok: true; canonical: string } | { ok: false; message: string };

/** networkOf zeroes the host bits of an address under a prefix length. */
function networkOf(addr: ipaddr.IPv4 | ipaddr.IPv6, bits: number): ipaddr.IPv4 | ipaddr.IPv6 {
  const bytes = addr.toByteArray().map((byte, i) => {
    const kept = Math.max(0, Math.min(8, bits - i * 8));
    return byte & (0xff << (8 - kept)) & 0xff;
  });
  return ipaddr.fromByteArray(bytes);
}

/**
 * checkCidrEntry is the strict reading of an allow-list entry someone types: a single address or
 * a network block, refusing what is ambiguous with a message naming what to write instead.
 *
 * - IPv4 in exactly four decimal parts: the legacy forms inet_aton accepts ("1.2.3", "10",
 *   "0x0a.0.0.1", "010.0.0.1", octal by its leading zero) read differently from how they look;
 * - a block without host bits: "10.0.0.1/8" is refused with "use 10.0.0.0/8", since its author
 *   may have meant the one address;
 * - a plain decimal prefix length within the family's range; no IPv6 zone ids.
 *
 * What is only notation is written canonically instead: IPv6 lower case and compressed
 * (RFC 5952), an IPv4-mapped IPv6 entry as the IPv4 address or block it is (as ipMatches reads it).
 */
export function checkCidrEntry(value: string): CidrEntryCheck {
  const text = value.trim();
  const shown = `"${text.slice(0, 60)}"`;
  const notAnAddress: CidrEntryCheck = { ok: false, message: `${shown} is not an IP address or CIDR block.` };
  const parts = text.split('/');
  if (parts.length > 2 || !parts[0]) return notAnAddress;
  const [addrText, prefixText] = parts as [string, string | undefined];
  if (addrText.includes('%'))
    return { ok: false, message: `${shown} has an IPv6 zone id (%…): write the address without it.` };
  const ipv6 = addrText.includes(':');
  const maxBits = ipv6 ? 128 : 32;
  if (prefixText !== undefined && (!/^(0|[1-9]\d{0,2})$/.test(prefixText) || Number(prefixText) > maxBits))
    return {
      ok: false,
      message: `${shown} has an invalid prefix length: use /0 to /${maxBits} for an ${ipv6 ? 'IPv6' : 'IPv4'} block.`,
    };
  let addr: ipaddr.IPv4 | ipaddr.IPv6;
  if (ipv6) {
    if (!ipaddr.IPv6.isValid(addrText)) return notAnAddress;
    addr = ipaddr.IPv6.parse(addrText);
  } else {
    if (!ipaddr.IPv4.isValid(addrText)) return notAnAddress;
    addr = ipaddr.IPv4.parse(addrText);
    if (!ipaddr.IPv4.isValidFourPartDecimal(addrText)) {
      const leadingZero = /(^|\.)0\d/.test(addrText);
      return {
        ok: false,
        message: leadingZero
          ? `${shown} has a part with a leading zero, which some systems read as octal: write each part in plain decimal.`
          : `${shown} is a legacy IPv4 form: write all four parts, as ${addr.toString()}${prefixText === undefined ? '' : `/${prefixText}`}.`,
      };
    }
  }
  let bits = prefixText === undefined ? maxBits : Number(prefixText);
  if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) {
    addr = (addr as ipaddr.IPv6).toIPv4Address();
    bits -= 96;
  }
  const network = networkOf(addr, bits);
  if (network.toString() !== addr.toString()) {
    const single = addr.kind() === 'ipv4' ? 32 : 128;
    return {
      ok: false,
      message: `${shown} has host bits set: use ${network.toString()}/${bits} for the block, or ${addr.toString()}/${single} for the one address.`,
    };
  }
  const single = bits === (addr.kind() === 'ipv4' ? 32 : 128);
  return { ok: true, canonical: prefixText === undefined && single ? addr.toString() : `${addr.toString()}/${bits}` };
}
