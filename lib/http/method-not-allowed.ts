import { AppError } from '@/lib/errors';
import { problemResponse } from './problem';
import { requestMeta } from './request-meta';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * allowHeader is the RFC 9110 §10.2.1 `Allow` value for a resource implementing `methods`:
 * HEAD comes with GET (Next answers it from GET) and OPTIONS always (Next answers it).
 */
export function allowHeader(methods: readonly HttpMethod[]): string {
  const all = new Set<string>([...methods, 'OPTIONS']);
  if (all.has('GET')) all.add('HEAD');
  return [...all].sort().join(', ');
}

/**
 * notAllowed is the route handler for the methods an /api/v1 route does not implement: 405 with
 * `Allow` listing those it does (RFC 9110 §15.5.6) and an RFC 9457 problem body. Next's own
 * 405 for an unexported method has neither; every /api/v1 route exports this for the others.
 */
export function notAllowed(...methods: HttpMethod[]): (request: Request) => Response {
  const allow = allowHeader(methods);
  return (request: Request) =>
    problemResponse(
      new AppError('method_not_allowed', `This resource accepts ${allow}.`),
      requestMeta(request.headers).requestId,
      { Allow: allow },
    );
}
