import { apiRoute } from '@/lib/http/api-route';
import { accountParams } from '@/lib/service-accounts/schema';
import { suspendServiceAccount } from '@/lib/service-accounts/set-service-account-status';

// POST /api/v1/service-accounts/{accountId}/suspend: stop issuing tokens (reversible)
export const POST = apiRoute({ permission: 'service_accounts.write', params: accountParams }, async (ctx, { params }) =>
  Response.json(await suspendServiceAccount(ctx, params.accountId)),
);
