import { isIP } from 'node:net';

/**
 * The header Latchkey's own HTTP server (scripts/server.ts) sets to the socket's remote address,
 * overwriting anything a client sent under that name. It is the only address we know first-hand.
 */
export const PEER_IP_HEADER = 'x-latchkey-peer-ip';

type HeaderBag = { get(name: string): string | null };

function normalize(ip: string): string {
  const trimmed = ip.trim();
  return trimmed.startsWith('::ffff:') && isIP(trimmed.slice(7)) === 4 ? trimmed.slice(7) : trimmed;
}

/**
 * clientIp returns the caller's address: the socket peer, unless that peer is a trusted proxy,
 * in which case X-Forwarded-For is walked from the right, skipping trusted proxies, and the
 * first untrusted hop is the client. A spoofed X-Forwarded-For from an untrusted peer is ignored.
 */
export function clientIp(headers: HeaderBag, isTrustedProxy: (ip: string) => boolean = () => false): string | null {
  const peerHeader = headers.get(PEER_IP_HEADER);
  if (!peerHeader) return null;
  let ip = normalize(peerHeader);
  if (!isTrustedProxy(ip)) return ip;
  const hops = (headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map(normalize)
    .filter((h) => isIP(h) !== 0);
  for (let i = hops.length - 1; i >= 0; i--) {
    ip = hops[i] as string;
    if (!isTrustedProxy(ip)) return ip;
  }
  return ip;
}
