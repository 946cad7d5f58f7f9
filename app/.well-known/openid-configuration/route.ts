import { metadataReply } from '@/lib/oauth/metadata';
import { toResponse } from '@/lib/oauth/errors';
import { notAllowed } from '@/lib/http/method-not-allowed';

export const dynamic = 'force-dynamic';

// GET /.well-known/openid-configuration: the RFC 8414 document under its OpenID Connect discovery
// name, for clients that discover OIDC-first (the fast path serves it too: lib/oauth/node-mount.ts)
export function GET() {
  return toResponse(metadataReply());
}

// Any other method: 405 with Allow (lib/http/method-not-allowed.ts).
export const POST = notAllowed('GET');
export const PUT = notAllowed('GET');
export const PATCH = notAllowed('GET');
export const DELETE = notAllowed('GET');
