import { AppError } from '@/lib/errors';
import { problemResponse } from './problem';
import { requestMeta } from './request-meta';

/**
 * The surfaces that answer an unknown path with JSON in their own format, so that a client's
 * `response.json()` reads an error instead of throwing on the console's HTML 404 page.
 */
export type JsonSurface = 'api' | 'oauth' | 'high-mobility' | 'unity' | 'gebeta' | 'restapi' | 'compat';

const DETAIL = 'There is no such endpoint. Check the path and the method.';

function json(body: unknown, status: number, requestId: string, type = 'application/json'): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': type, 'Cache-Control': 'no-store', 'X-Request-Id': requestId },
  });
}

/**
 * notFoundResponse is the 404 of an unknown path under one surface: RFC 9457 problem+json under
 * /api and /api/v1, RFC 6749-style `{error, error_description}` under /api/oauth, and each
 * vendor's documented error shape under /compat/<vendor> (the shapes of lib/compat/<vendor>/errors.ts).
 */
export function notFoundResponse(surface: JsonSurface, request: Request): Response {
  const { requestId } = requestMeta(request.headers);
  switch (surface) {
    case 'api':
      return problemResponse(new AppError('not_found', DETAIL), requestId);
    case 'oauth':
      return json({ error: 'invalid_request', error_description: DETAIL }, 404, requestId);
    case 'high-mobility':
      return json({ errors: [{ title: 'Not found', source: 'path', detail: DETAIL }] }, 404, requestId);
    case 'unity':
      return json(
        { type: 'problems/basic', title: 'Not Found', status: 404, code: 54, detail: DETAIL, details: [], requestId },
        404,
        requestId,
        'application/problem+json',
      );
    case 'gebeta':
      return json({ error: DETAIL, code: 'NOT_FOUND' }, 404, requestId);
    case 'restapi':
    case 'compat':
      return json({ status: 404, message: DETAIL }, 404, requestId);
  }
}

/** notFoundRoute is a catch-all route handler answering every method with notFoundResponse. */
export function notFoundRoute(surface: JsonSurface) {
  return async (request: Request): Promise<Response> => notFoundResponse(surface, request);
}
