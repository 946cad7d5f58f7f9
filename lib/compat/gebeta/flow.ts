import 'server-only';
import { z } from 'zod';
import { requestMeta } from '@/lib/http/request-meta';
import { verifySecretCredential } from '@/lib/oauth/client-auth';
import { clientCredentialsGrant } from '@/lib/oauth/grants/client-credentials';
import { refreshGrant } from '@/lib/oauth/grants/refresh-token';
import type { TokenResult } from '@/lib/oauth/grants/types';
import { dpopPresentation } from '@/lib/oauth/dpop';
import { refuseUnreadable, runGrant } from '@/lib/oauth/token-service';
import { readCompatBody } from '../body';
import { gebetaError } from './errors';

const PREFIX = '/compat/gebeta/api/v1/external';
const authSchema = z.object({
  client_token: z.string({ error: 'client_token is required' }).min(1, { error: 'client_token is required' }).max(200),
  server_token: z.string({ error: 'server_token is required' }).min(1, { error: 'server_token is required' }).max(200),
});
const refreshSchema = z.object({
  refresh_token: z
    .string({ error: 'refresh_token is required' })
    .min(1, { error: 'refresh_token is required' })
    .max(200),
});

function answer(result: TokenResult, requestId: string): Response {
  return Response.json(
    { data: { accessToken: result.access_token, refreshToken: result.refresh_token, expiresIn: result.expires_in } },
    { headers: { 'Cache-Control': 'no-store', 'X-Request-Id': requestId } },
  );
}

/**
 * gebetaAuth serves POST /compat/gebeta/api/v1/external/auth: `{client_token, server_token}`
 * (the client app's publishable token and its backend's secret token, both required) →
 * `{"data": {"accessToken", "refreshToken"}}`. Same checks and audit as client_credentials.
 */
export async function gebetaAuth(request: Request): Promise<Response> {
  const meta = requestMeta(request.headers);
  const ctx = { meta, endpoint: `${PREFIX}/auth` };
  try {
    const body = await readCompatBody(request, authSchema).catch((error: unknown) =>
      refuseUnreadable('gebeta:auth', ctx, error),
    );
    const result = await runGrant(
      'gebeta:auth',
      ctx,
      body.client_token,
      async (attempt) => {
        const principal = await verifySecretCredential(body.client_token, body.server_token, attempt);
        return clientCredentialsGrant(principal, attempt, ctx, null);
      },
      { dpop: dpopPresentation(request.headers, ctx.endpoint) },
    );
    return answer(result, meta.requestId);
  } catch (error) {
    return gebetaError(error, meta.requestId);
  }
}

/**
 * gebetaRefresh serves POST /compat/gebeta/api/v1/external/refresh: `{refresh_token}` →
 * a new access token and a rotated refresh token; a reused refresh token revokes its family.
 */
export async function gebetaRefresh(request: Request): Promise<Response> {
  const meta = requestMeta(request.headers);
  const ctx = { meta, endpoint: `${PREFIX}/refresh` };
  try {
    const body = await readCompatBody(request, refreshSchema).catch((error: unknown) =>
      refuseUnreadable('gebeta:refresh', ctx, error),
    );
    const result = await runGrant(
      'gebeta:refresh',
      ctx,
      null,
      (attempt) => refreshGrant(body.refresh_token, attempt, ctx, null, null),
      { dpop: dpopPresentation(request.headers, ctx.endpoint) },
    );
    return answer(result, meta.requestId);
  } catch (error) {
    return gebetaError(error, meta.requestId);
  }
}
