import { jwksReply } from '@/lib/oauth/metadata';
import { toResponse } from '@/lib/oauth/errors';

export const dynamic = 'force-dynamic';

// GET /.well-known/jwks.json: the public signing keys (active, pending and recently retired)
// (the production server answers it on its fast path with the same function: lib/oauth/node-mount.ts)
export async function GET() {
  return toResponse(await jwksReply());
}
