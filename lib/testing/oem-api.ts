import { expect } from 'vitest';
import { POST as tokenRoute } from '@/app/api/oauth/token/route';
import type { OrgContext } from '@/lib/auth/context';
import { createClientSecret } from '@/lib/credentials/create-client-secret';
import { PEER_IP_HEADER } from '@/lib/http/client-ip';
import { basic, formRequest } from './oauth-factories';
import { createTestServiceAccount } from './service-account-fixtures';

export type Handler = (request: Request, context: { params: Promise<unknown> }) => Promise<Response>;

/** bearerFor mints a real access token for a new isAdmin account of the context's organization. */
export async function bearerFor(
  ctx: OrgContext,
  scopes: string[],
  overrides: Parameters<typeof createTestServiceAccount>[1] = {},
): Promise<string> {
  const account = await createTestServiceAccount(ctx, { isAdmin: true, scopes, ...overrides });
  const { clientSecret, secret } = await createClientSecret(ctx, account.id, { name: 'api' });
  const res = await tokenRoute(
    formRequest(
      '/api/oauth/token',
      { grant_type: 'client_credentials' },
      { authorization: basic(clientSecret.id, secret) },
    ),
  );
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** callRoute calls a route handler as the server would, with a bearer token (or none). */
export function callRoute(
  handler: Handler,
  token: string | null,
  method: string,
  path: string,
  params: Record<string, string> = {},
  body?: unknown,
): Promise<Response> {
  const headers: Record<string, string> = { [PEER_IP_HEADER]: '127.0.0.1' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const request = new Request(`http://localhost:3000${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return handler(request, { params: Promise.resolve(params) });
}

/** problemOf reads an RFC 9457 problem body, checking its media type. */
export async function problemOf(res: Response) {
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  return (await res.json()) as { code: string; status: number; detail: string; errors?: Record<string, string[]> };
}
