import { apiRoute } from '@/lib/http/api-route';
import { accountParams, revokeServiceAccountInput } from '@/lib/service-accounts/schema';
import { revokeServiceAccount } from '@/lib/service-accounts/set-service-account-status';
import { notAllowed } from '@/lib/http/method-not-allowed';

// POST /api/v1/service-accounts/{accountId}/revoke: revoke for good (confirm with the account name)
export const POST = apiRoute(
  { permission: 'service_accounts.write', params: accountParams, body: revokeServiceAccountInput },
  async (ctx, { params, body }) => Response.json(await revokeServiceAccount(ctx, params.accountId, body.confirmName)),
);

// Any other method: 405 with Allow (lib/http/method-not-allowed.ts).
export const GET = notAllowed('POST');
export const PUT = notAllowed('POST');
export const PATCH = notAllowed('POST');
export const DELETE = notAllowed('POST');
