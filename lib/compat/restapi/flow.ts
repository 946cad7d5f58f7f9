import 'server-only';
import { z } from 'zod';
import { requestMeta } from '@/lib/http/request-meta';
import { verifySecretCredential } from '@/lib/oauth/client-auth';
import { clientCredentialsGrant } from '@/lib/oauth/grants/client-credentials';
import { dpopPresentation } from '@/lib/oauth/dpop';
import { refuseUnreadable, runGrant } from '@/lib/oauth/token-service';
import { readCompatBody } from '../body';
import { restApiError } from './errors';

const ENDPOINT = '/compat/restapi/System/UserAccount';
const bodySchema = z.object({
  clientId: z.string({ error: 'clientId is required' }).min(1, { error: 'clientId is required' }).max(200),
  clientSecret: z.string({ error: 'clientSecret is required' }).min(1, { error: 'clientSecret is required' }).max(200),
});

/**
 * restApiUserAccount serves POST /compat/restapi/System/UserAccount: `{clientId, clientSecret}`
 * (a client secret's key id and secret) → `{"token": …}`, as docs.restapi.com's service
 * accounts page shows (`const { token } = await response.json()`). Same checks and audit as
 * client_credentials with client_secret_post.
 */
export async function restApiUserAccount(request: Request): Promise<Response> {
  const meta = requestMeta(request.headers);
  const ctx = { meta, endpoint: ENDPOINT };
  try {
    const body = await readCompatBody(request, bodySchema).catch((error: unknown) =>
      refuseUnreadable('restapi:user_account', ctx, error),
    );
    const result = await runGrant(
      'restapi:user_account',
      ctx,
      body.clientId,
      async (attempt) => {
        const principal = await verifySecretCredential(body.clientId, body.clientSecret, attempt);
        return clientCredentialsGrant(principal, attempt, ctx, null);
      },
      { cacheable: true, dpop: dpopPresentation(request.headers, ENDPOINT) },
    );
    return Response.json(
      { token: result.access_token, expiresIn: result.expires_in },
      { headers: { 'Cache-Control': 'no-store', 'X-Request-Id': meta.requestId } },
    );
  } catch (error) {
    return restApiError(error, meta.requestId);
  }
}
