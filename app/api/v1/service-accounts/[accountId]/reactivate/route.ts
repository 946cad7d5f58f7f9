import { apiRoute } from '@/lib/http/api-route';
import { accountParams } from '@/lib/service-accounts/schema';
import { reactivateServiceAccount } from '@/lib/service-accounts/set-service-account-status';

// POST /api/v1/service-accounts/{accountId}/reactivate: undo a suspension
export const POST = apiRoute({ permission: 'service_accounts.write', params: accountParams }, async (ctx, { params }) =>
  Response.json(await reactivateServiceAccount(ctx, params.accountId)),
);
