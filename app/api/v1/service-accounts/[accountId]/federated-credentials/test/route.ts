import { apiRoute } from '@/lib/http/api-route';
import { notAllowed } from '@/lib/http/method-not-allowed';
import { testFederatedToken } from '@/lib/federation/queries';
import { testFederatedTokenInput } from '@/lib/federation/schema';
import { accountParams } from '@/lib/service-accounts/schema';

// POST /api/v1/service-accounts/{accountId}/federated-credentials/test: dry-run a pasted token against the policies (nothing issued)
export const POST = apiRoute(
  { permission: 'service_accounts.read', params: accountParams, body: testFederatedTokenInput },
  async (ctx, { params, body }) => Response.json(await testFederatedToken(ctx, params.accountId, body)),
);

// Any other method: 405 with Allow (lib/http/method-not-allowed.ts).
export const GET = notAllowed('POST');
export const PUT = notAllowed('POST');
export const PATCH = notAllowed('POST');
export const DELETE = notAllowed('POST');
