import { apiRoute } from '@/lib/http/api-route';
import { notAllowed } from '@/lib/http/method-not-allowed';
import { accountParams } from '@/lib/service-accounts/schema';
import { listLiveTokens } from '@/lib/tokens/live-tokens';

// GET /api/v1/service-accounts/{accountId}/tokens: the account's live access tokens (newest 100)
export const GET = apiRoute({ permission: 'service_accounts.read', params: accountParams }, async (ctx, { params }) =>
  Response.json({ items: await listLiveTokens(ctx, params.accountId) }),
);

// Any other method: 405 with Allow (lib/http/method-not-allowed.ts).
export const POST = notAllowed('GET');
export const PUT = notAllowed('GET');
export const PATCH = notAllowed('GET');
export const DELETE = notAllowed('GET');
