import { apiRoute } from '@/lib/http/api-route';
import { notAllowed } from '@/lib/http/method-not-allowed';
import { deleteCredential, setCredentialStatus } from '@/lib/credentials/set-credential-status';
import { federatedCredentialParams } from '@/lib/federation/schema';
import { setCredentialStatusInput } from '@/lib/service-accounts/schema';

// PATCH /api/v1/service-accounts/{accountId}/federated-credentials/{credentialId}: enable or disable
export const PATCH = apiRoute(
  { permission: 'service_accounts.write', params: federatedCredentialParams, body: setCredentialStatusInput },
  async (ctx, { params, body }) =>
    Response.json(
      await setCredentialStatus(ctx, 'federated_credential', params.accountId, params.credentialId, body.status),
    ),
);

// DELETE /api/v1/service-accounts/{accountId}/federated-credentials/{credentialId}: delete a trust policy
export const DELETE = apiRoute(
  { permission: 'service_accounts.write', params: federatedCredentialParams },
  async (ctx, { params }) => {
    await deleteCredential(ctx, 'federated_credential', params.accountId, params.credentialId);
    return new Response(null, { status: 204 });
  },
);

// Any other method: 405 with Allow (lib/http/method-not-allowed.ts).
export const GET = notAllowed('PATCH', 'DELETE');
export const POST = notAllowed('PATCH', 'DELETE');
export const PUT = notAllowed('PATCH', 'DELETE');
