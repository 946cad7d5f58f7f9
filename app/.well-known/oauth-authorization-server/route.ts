import { metadataReply } from '@/lib/oauth/metadata';
import { toResponse } from '@/lib/oauth/errors';

export const dynamic = 'force-dynamic';

// GET /.well-known/oauth-authorization-server: RFC 8414 authorization server metadata
// (the production server answers it on its fast path with the same function: lib/oauth/node-mount.ts)
export function GET() {
  return toResponse(metadataReply());
}
