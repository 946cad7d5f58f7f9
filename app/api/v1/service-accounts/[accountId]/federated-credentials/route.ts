import { apiRoute } from '@/lib/http/api-route';
import { notAllowed } from '@/lib/http/method-not-allowed';
import { createFederatedCredential } from '@/lib/federation/create-federated-credential';
import { listFederatedCredentials } from '@/lib/federation/queries';
import { createFederatedCredentialInput } from '@/lib/federation/schema';
import { accountParams } from '@/lib/service-accounts/schema';

// GET /api/v1/service-accounts/{accountId}/federated-credentials: the account's trust policies
export const GET = apiRoute({ permission: 'service_accounts.read', params: accountParams }, async (ctx, { params }) =>
  Response.json({ items: await listFederatedCredentials(ctx, params.accountId) }),
);

// POST /api/v1/service-accounts/{accountId}/federated-credentials: trust an external issuer's tokens
export const POST = apiRoute(
  { permission: 'service_accounts.write', params: accountParams, body: createFederatedCredentialInput },
  async (ctx, { params, body }) =>
    Response.json(await createFederatedCredential(ctx, params.accountId, body), { status: 201 }),
);

// Any other method: 405 with Allow (lib/http/method-not-allowed.ts).
export const PUT = notAllowed('GET', 'POST');
export const PATCH = notAllowed('GET', 'POST');
export const DELETE = notAllowed('GET', 'POST');
