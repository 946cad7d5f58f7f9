import { apiRoute } from '@/lib/http/api-route';
import { deleteCredential, setCredentialStatus } from '@/lib/credentials/set-credential-status';
import { secretParams, setCredentialStatusInput } from '@/lib/service-accounts/schema';
import { notAllowed } from '@/lib/http/method-not-allowed';

// PATCH /api/v1/service-accounts/{accountId}/secrets/{secretId}: enable or disable a client secret
export const PATCH = apiRoute(
  { permission: 'service_accounts.write', params: secretParams, body: setCredentialStatusInput },
  async (ctx, { params, body }) =>
    Response.json(await setCredentialStatus(ctx, 'client_secret', params.accountId, params.secretId, body.status)),
);

// DELETE /api/v1/service-accounts/{accountId}/secrets/{secretId}: delete a client secret
export const DELETE = apiRoute(
  { permission: 'service_accounts.write', params: secretParams },
  async (ctx, { params }) => {
    await deleteCredential(ctx, 'client_secret', params.accountId, params.secretId);
    return new Response(null, { status: 204 });
  },
);

// Any other method: 405 with Allow (lib/http/method-not-allowed.ts).
export const GET = notAllowed('PATCH', 'DELETE');
export const POST = notAllowed('PATCH', 'DELETE');
export const PUT = notAllowed('PATCH', 'DELETE');
