import { randomUUID } from 'node:crypto';
import type { RequestMeta } from '@/lib/audit/actor';
import { env } from '@/lib/env';
import { ipMatches } from '@/lib/net/cidr';
import { clientIp } from './client-ip';

let trusted: { raw: string; ranges: string[] } | undefined;

/** isTrustedProxy tells whether a peer is one of LATCHKEY_TRUSTED_PROXIES. */
export function isTrustedProxy(ip: string): boolean {
  const raw = env().LATCHKEY_TRUSTED_PROXIES;
  if (trusted?.raw !== raw)
    trusted = {
      raw,
      ranges: raw
        .split(',')
        .map((r) => r.trim())
        .filter(Boolean),
    };
  return trusted.ranges.length > 0 && ipMatches(ip, trusted.ranges);
}

type HeaderBag = { get(name: string): string | null };

/** requestMeta collects what every audit event records about a request. */
export function requestMeta(headers: HeaderBag): RequestMeta {
  const incoming = headers.get('x-request-id');
  return {
    requestId: incoming && /^[A-Za-z0-9._:-]{1,128}$/.test(incoming) ? incoming : randomUUID(),
    ip: clientIp(headers, isTrustedProxy),
    userAgent: headers.get('user-agent')?.slice(0, 512) ?? null,
  };
}
