import { apiRoute } from '@/lib/http/api-route';
import { deleteOemCredential } from '@/lib/oem/delete-oem-credential';
import { getOemCredential } from '@/lib/oem/queries';
import { credentialParams } from '@/lib/oem/route-params';
import { looseJsonObject, parseSecretUpdate } from '@/lib/oem/schema';
import { updateOemCredentialSecret } from '@/lib/oem/update-oem-credential-secret';
import { notAllowed } from '@/lib/http/method-not-allowed';

// GET /api/v1/credentials/{brand}/{id}: one OEM credential (without its secret)
export const GET = apiRoute({ permission: 'oem_credentials.read', params: credentialParams }, async (ctx, { params }) =>
  Response.json(await getOemCredential(ctx, params.credentialId, params.brandSlug)),
);

// PATCH /api/v1/credentials/{brand}/{id}: replace the client_secret (nothing else can change)
export const PATCH = apiRoute(
  { permission: 'oem_credentials.write', params: credentialParams, body: looseJsonObject },
  async (ctx, { params, body }) =>
    Response.json(await updateOemCredentialSecret(ctx, params.credentialId, parseSecretUpdate(body), params.brandSlug)),
);

// DELETE /api/v1/credentials/{brand}/{id}: delete a credential no vehicle uses (409 naming them otherwise)
export const DELETE = apiRoute(
  { permission: 'oem_credentials.write', params: credentialParams },
  async (ctx, { params }) => {
    await deleteOemCredential(ctx, params.credentialId, params.brandSlug);
    return new Response(null, { status: 204 });
  },
);

// Any other method: 405 with Allow (lib/http/method-not-allowed.ts).
export const POST = notAllowed('GET', 'PATCH', 'DELETE');
export const PUT = notAllowed('GET', 'PATCH', 'DELETE');
