import { createClientSecret } from '@/lib/credentials/create-client-secret';
import { apiRoute } from '@/lib/http/api-route';
import { listClientSecrets } from '@/lib/service-accounts/queries';
import { accountParams, createClientSecretInput } from '@/lib/service-accounts/schema';
import { notAllowed } from '@/lib/http/method-not-allowed';

// GET /api/v1/service-accounts/{accountId}/secrets: the account's client secrets (never the secrets)
export const GET = apiRoute({ permission: 'service_accounts.read', params: accountParams }, async (ctx, { params }) =>
  Response.json({ items: await listClientSecrets(ctx, params.accountId) }),
);

// POST /api/v1/service-accounts/{accountId}/secrets: issue a client secret (returned this once)
export const POST = apiRoute(
  { permission: 'service_accounts.write', params: accountParams, body: createClientSecretInput },
  async (ctx, { params, body }) =>
    Response.json(await createClientSecret(ctx, params.accountId, body), { status: 201 }),
);

// Any other method: 405 with Allow (lib/http/method-not-allowed.ts).
export const PUT = notAllowed('GET', 'POST');
export const PATCH = notAllowed('GET', 'POST');
export const DELETE = notAllowed('GET', 'POST');
