import { createKeyPair } from '@/lib/credentials/create-key-pair';
import { apiRoute } from '@/lib/http/api-route';
import { listKeyPairs } from '@/lib/service-accounts/queries';
import { accountParams, createKeyPairInput } from '@/lib/service-accounts/schema';
import { notAllowed } from '@/lib/http/method-not-allowed';

// GET /api/v1/service-accounts/{accountId}/keys: the account's key pairs (public keys only)
export const GET = apiRoute({ permission: 'service_accounts.read', params: accountParams }, async (ctx, { params }) =>
  Response.json({ items: await listKeyPairs(ctx, params.accountId) }),
);

// POST /api/v1/service-accounts/{accountId}/keys: generate an ES256 key pair, or upload a public key
export const POST = apiRoute(
  { permission: 'service_accounts.write', params: accountParams, body: createKeyPairInput },
  async (ctx, { params, body }) => Response.json(await createKeyPair(ctx, params.accountId, body), { status: 201 }),
);

// Any other method: 405 with Allow (lib/http/method-not-allowed.ts).
export const PUT = notAllowed('GET', 'POST');
export const PATCH = notAllowed('GET', 'POST');
export const DELETE = notAllowed('GET', 'POST');
