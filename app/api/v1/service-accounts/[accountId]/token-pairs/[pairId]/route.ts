import { apiRoute } from '@/lib/http/api-route';
import { deleteCredential, setCredentialStatus } from '@/lib/credentials/set-credential-status';
import { setCredentialStatusInput, tokenPairParams } from '@/lib/service-accounts/schema';
import { notAllowed } from '@/lib/http/method-not-allowed';

// PATCH /api/v1/service-accounts/{accountId}/token-pairs/{pairId}: enable or disable a client token pair
export const PATCH = apiRoute(
  { permission: 'service_accounts.write', params: tokenPairParams, body: setCredentialStatusInput },
  async (ctx, { params, body }) =>
    Response.json(await setCredentialStatus(ctx, 'client_token_pair', params.accountId, params.pairId, body.status)),
);

// DELETE /api/v1/service-accounts/{accountId}/token-pairs/{pairId}: delete a client token pair
export const DELETE = apiRoute(
  { permission: 'service_accounts.write', params: tokenPairParams },
  async (ctx, { params }) => {
    await deleteCredential(ctx, 'client_token_pair', params.accountId, params.pairId);
    return new Response(null, { status: 204 });
  },
);

// Any other method: 405 with Allow (lib/http/method-not-allowed.ts).
export const GET = notAllowed('PATCH', 'DELETE');
export const POST = notAllowed('PATCH', 'DELETE');
export const PUT = notAllowed('PATCH', 'DELETE');
