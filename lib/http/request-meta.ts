import { randomUUID } from 'node:crypto';
import type { RequestMeta } from '@/lib/audit/actor';
import { clientIp } from './client-ip';

type HeaderBag = { get(name: string): string | null };

/** requestMeta collects what every audit event records about a request. */
export function requestMeta(headers: HeaderBag): RequestMeta {
  const incoming = headers.get('x-request-id');
  return {
    requestId: incoming && /^[A-Za-z0-9._:-]{1,128}$/.test(incoming) ? incoming : randomUUID(),
    ip: clientIp(headers),
    userAgent: headers.get('user-agent')?.slice(0, 512) ?? null,
  };
}
