import { apiRoute } from '@/lib/http/api-route';
import { createOemCredential } from '@/lib/oem/create-oem-credential';
import { listOemCredentials } from '@/lib/oem/queries';
import { brandParams } from '@/lib/oem/route-params';
import { createOemCredentialInput } from '@/lib/oem/schema';
import { notAllowed } from '@/lib/http/method-not-allowed';

// GET /api/v1/credentials/{brand}: list the organization's OEM credentials of one brand
export const GET = apiRoute({ permission: 'oem_credentials.read', params: brandParams }, async (ctx, { params }) =>
  Response.json({ data: await listOemCredentials(ctx, params.brandSlug) }),
);

// POST /api/v1/credentials/{brand}: store a new OEM credential (the secret is never returned)
export const POST = apiRoute(
  { permission: 'oem_credentials.write', params: brandParams, body: createOemCredentialInput },
  async (ctx, { params, body }) =>
    Response.json(await createOemCredential(ctx, params.brandSlug, body), { status: 201 }),
);

// Any other method: 405 with Allow (lib/http/method-not-allowed.ts).
export const PUT = notAllowed('GET', 'POST');
export const PATCH = notAllowed('GET', 'POST');
export const DELETE = notAllowed('GET', 'POST');
