import { createTokenPair } from '@/lib/credentials/create-token-pair';
import { apiRoute } from '@/lib/http/api-route';
import { listTokenPairs } from '@/lib/service-accounts/queries';
import { accountParams, createTokenPairInput } from '@/lib/service-accounts/schema';
import { notAllowed } from '@/lib/http/method-not-allowed';

// GET /api/v1/service-accounts/{accountId}/token-pairs: the account's client token pairs
export const GET = apiRoute({ permission: 'service_accounts.read', params: accountParams }, async (ctx, { params }) =>
  Response.json({ items: await listTokenPairs(ctx, params.accountId) }),
);

// POST /api/v1/service-accounts/{accountId}/token-pairs: issue a client token + server token (server token returned this once)
export const POST = apiRoute(
  { permission: 'service_accounts.write', params: accountParams, body: createTokenPairInput },
  async (ctx, { params, body }) => Response.json(await createTokenPair(ctx, params.accountId, body), { status: 201 }),
);

// Any other method: 405 with Allow (lib/http/method-not-allowed.ts).
export const PUT = notAllowed('GET', 'POST');
export const PATCH = notAllowed('GET', 'POST');
export const DELETE = notAllowed('GET', 'POST');
