import { apiRoute } from '@/lib/http/api-route';
import { accountParams } from '@/lib/service-accounts/schema';
import { suspendServiceAccount } from '@/lib/service-accounts/set-service-account-status';
import { notAllowed } from '@/lib/http/method-not-allowed';

// POST /api/v1/service-accounts/{accountId}/suspend: stop issuing tokens (reversible)
export const POST = apiRoute({ permission: 'service_accounts.write', params: accountParams }, async (ctx, { params }) =>
  Response.json(await suspendServiceAccount(ctx, params.accountId)),
);

// Any other method: 405 with Allow (lib/http/method-not-allowed.ts).
export const GET = notAllowed('POST');
export const PUT = notAllowed('POST');
export const PATCH = notAllowed('POST');
export const DELETE = notAllowed('POST');
