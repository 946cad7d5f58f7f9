import 'server-only';
import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { requestMeta } from '@/lib/http/request-meta';
import { verifySecretCredential } from '@/lib/oauth/client-auth';
import { parseBasic } from '@/lib/oauth/client-id';
import { clientCredentialsGrant } from '@/lib/oauth/grants/client-credentials';
import { dpopPresentation } from '@/lib/oauth/dpop';
import { refuseUnreadable, runGrant } from '@/lib/oauth/token-service';
import { readCompatBody } from '../body';
import { unityError } from './errors';

const ENDPOINT = '/compat/unity/v1/token-exchange';
const GRANT_TYPE = 'unity:token_exchange';

const querySchema = z.object({
  projectId: z.string({ error: 'projectId is required' }).min(1).max(100),
  environmentId: z.string().min(1).max(100).optional(),
});
const bodySchema = z.object({ scopes: z.array(z.string().min(1).max(64)).max(100).optional() });

/**
 * unityTokenExchange serves POST /compat/unity/v1/token-exchange?projectId=…&environmentId=…:
 * `Authorization: Basic base64(key_id:secret)` → `{"accessToken": …}`, a stateless access token
 * bound to the project (and environment). An optional JSON body `{"scopes": […]}` narrows the
 * scopes. Earlier tokens stay valid (nothing is revoked). Errors as Unity's problem details.
 */
export async function unityTokenExchange(request: Request): Promise<Response> {
  const meta = requestMeta(request.headers);
  const ctx = { meta, endpoint: ENDPOINT };
  const authorization = request.headers.get('authorization');
  const basic = authorization ? parseBasic(authorization) : null;
  try {
    const url = new URL(request.url);
    const input = await (async () => {
      const query = querySchema.safeParse(Object.fromEntries(url.searchParams));
      if (!query.success) throw new AppError('validation_failed', 'projectId is required; environmentId is optional.');
      const body = await readCompatBody(request, bodySchema, { allowForm: false });
      return { ...query.data, scopes: body.scopes };
    })().catch((error: unknown) => refuseUnreadable(GRANT_TYPE, ctx, error));
    const result = await runGrant(
      GRANT_TYPE,
      ctx,
      basic?.id ?? null,
      async (attempt) => {
        if (!basic)
          throw new AppError('invalid_client', 'Send the service account key id and secret as HTTP Basic credentials.');
        const principal = await verifySecretCredential(basic.id, basic.secret, attempt);
        return clientCredentialsGrant(principal, attempt, ctx, input.scopes ? input.scopes.join(' ') : null, {
          projectId: input.projectId,
          environmentId: input.environmentId ?? null,
        });
      },
      { cacheable: true, dpop: dpopPresentation(request.headers, ENDPOINT) },
    );
    return Response.json(
      { accessToken: result.access_token },
      { headers: { 'Cache-Control': 'no-store', 'X-Request-Id': meta.requestId } },
    );
  } catch (error) {
    return unityError(error, meta.requestId);
  }
}
