import { rotateClientSecret } from '@/lib/credentials/rotate-client-secret';
import { apiRoute } from '@/lib/http/api-route';
import { rotateClientSecretInput, secretParams } from '@/lib/service-accounts/schema';
import { notAllowed } from '@/lib/http/method-not-allowed';

// POST /api/v1/service-accounts/{accountId}/secrets/{secretId}/rotate: new secret; the old one expires after the grace period
export const POST = apiRoute(
  { permission: 'service_accounts.write', params: secretParams, body: rotateClientSecretInput },
  async (ctx, { params, body }) =>
    Response.json(await rotateClientSecret(ctx, params.accountId, params.secretId, body), { status: 201 }),
);

// Any other method: 405 with Allow (lib/http/method-not-allowed.ts).
export const GET = notAllowed('POST');
export const PUT = notAllowed('POST');
export const PATCH = notAllowed('POST');
export const DELETE = notAllowed('POST');
