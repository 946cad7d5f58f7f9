import { apiRoute } from '@/lib/http/api-route';
import { notAllowed } from '@/lib/http/method-not-allowed';
import { liveTokenParams } from '@/lib/service-accounts/schema';
import { revokeLiveToken } from '@/lib/tokens/live-tokens';

// POST /api/v1/service-accounts/{accountId}/tokens/{jti}/revoke: revoke one live access token
export const POST = apiRoute(
  { permission: 'service_accounts.write', params: liveTokenParams },
  async (ctx, { params }) => Response.json(await revokeLiveToken(ctx, params.accountId, params.jti)),
);

// Any other method: 405 with Allow (lib/http/method-not-allowed.ts).
export const GET = notAllowed('POST');
export const PUT = notAllowed('POST');
export const PATCH = notAllowed('POST');
export const DELETE = notAllowed('POST');
