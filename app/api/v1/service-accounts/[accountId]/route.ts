import { apiRoute } from '@/lib/http/api-route';
import { getServiceAccount } from '@/lib/service-accounts/queries';
import { accountParams, updateServiceAccountInput } from '@/lib/service-accounts/schema';
import { updateServiceAccount } from '@/lib/service-accounts/update-service-account';
import { notAllowed } from '@/lib/http/method-not-allowed';

// GET /api/v1/service-accounts/{accountId}: one service account with its credentials
export const GET = apiRoute({ permission: 'service_accounts.read', params: accountParams }, async (ctx, { params }) =>
  Response.json(await getServiceAccount(ctx, params.accountId)),
);

// PATCH /api/v1/service-accounts/{accountId}: change the fields sent
export const PATCH = apiRoute(
  { permission: 'service_accounts.write', params: accountParams, body: updateServiceAccountInput },
  async (ctx, { params, body }) => Response.json(await updateServiceAccount(ctx, params.accountId, body)),
);

// Any other method: 405 with Allow (lib/http/method-not-allowed.ts).
export const POST = notAllowed('GET', 'PATCH');
export const PUT = notAllowed('GET', 'PATCH');
export const DELETE = notAllowed('GET', 'PATCH');
