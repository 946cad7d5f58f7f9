import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import ipaddr from 'ipaddr.js';

/** A CIDR parsed by ipaddr.js. */
export type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** parseCidrs reads a comma-separated list of CIDRs (invalid entries are the caller's to refuse). */
export function parseCidrs(list: string | undefined): Cidr[] {
  return (list ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => ipaddr.parseCIDR(s));
}

/**
 * addressAllowed tells whether a webhook may be delivered to `address`: a public unicast
 * address, or a loopback one where loopback delivery is allowed (development and tests), or one
 * inside an operator's WEBHOOK_ALLOWED_PRIVATE_CIDRS. Everything else (private, link-local with
 * the cloud metadata service, unique-local, CGNAT, multicast, reserved, unspecified) is refused:
 * an administrator must not be able to make the server post into its own network (SSRF).
 */
export function addressAllowed(address: string, allowLoopback: boolean, allowed: Cidr[]): boolean {
  if (!ipaddr.isValid(address)) return false;
  const ip = ipaddr.process(address);
  for (const [range, bits] of allowed) if (ip.kind() === range.kind() && ip.match(range, bits)) return true;
  const kind = ip.range();
  if (kind === 'loopback') return allowLoopback;
  return kind === 'unicast';
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * guardedLookup is a `lookup` for node:http(s) that resolves the host and lets the connection
 * use only allowed addresses: the check and the connection use the same answer, so a DNS name
 * that changes between them (rebinding) cannot slip a private address past it.
 */
export function guardedLookup(allowLoopback: boolean, allowed: Cidr[]) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const usable = addresses.filter((a) => addressAllowed(a.address, allowLoopback, allowed));
      if (usable.length === 0) {
        const refused = Object.assign(new Error(`${hostname} resolves only to addresses webhooks may not reach`), {
          code: 'EADDRNOTALLOWED',
        });
        return callback(refused, []);
      }
      if (options.all) return callback(null, usable);
      const first = usable[0] as LookupAddress;
      callback(null, first.address, first.family);
    });
  };
}
