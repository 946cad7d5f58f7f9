import { jwksReply } from '@/lib/oauth/metadata';
import { toResponse } from '@/lib/oauth/errors';
import { notAllowed } from '@/lib/http/method-not-allowed';

export const dynamic = 'force-dynamic';

// GET /.well-known/jwks.json: the public signing keys (active, pending and recently retired)
// (the production server answers it on its fast path with the same function: lib/oauth/node-mount.ts)
export async function GET() {
  return toResponse(await jwksReply());
}

// Any other method: 405 with Allow (lib/http/method-not-allowed.ts).
export const POST = notAllowed('GET');
export const PUT = notAllowed('GET');
export const PATCH = notAllowed('GET');
export const DELETE = notAllowed('GET');
