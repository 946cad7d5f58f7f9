import { apiRoute } from '@/lib/http/api-route';
import { deleteCredential, setCredentialStatus } from '@/lib/credentials/set-credential-status';
import { keyParams, setCredentialStatusInput } from '@/lib/service-accounts/schema';
import { notAllowed } from '@/lib/http/method-not-allowed';

// PATCH /api/v1/service-accounts/{accountId}/keys/{keyId}: enable or disable a key pair
export const PATCH = apiRoute(
  { permission: 'service_accounts.write', params: keyParams, body: setCredentialStatusInput },
  async (ctx, { params, body }) =>
    Response.json(await setCredentialStatus(ctx, 'key_pair', params.accountId, params.keyId, body.status)),
);

// DELETE /api/v1/service-accounts/{accountId}/keys/{keyId}: delete a key pair
export const DELETE = apiRoute({ permission: 'service_accounts.write', params: keyParams }, async (ctx, { params }) => {
  await deleteCredential(ctx, 'key_pair', params.accountId, params.keyId);
  return new Response(null, { status: 204 });
});

// Any other method: 405 with Allow (lib/http/method-not-allowed.ts).
export const GET = notAllowed('PATCH', 'DELETE');
export const POST = notAllowed('PATCH', 'DELETE');
export const PUT = notAllowed('PATCH', 'DELETE');
