import { handleRevocation } from '@/lib/oauth/revocation';
import { methodNotAllowed } from '@/lib/oauth/errors';

export const dynamic = 'force-dynamic';

// POST /api/oauth/revoke: RFC 7009 token revocation (client authentication required)
export const POST = (request: Request) => handleRevocation(request);

// Any other method: 405 with Allow: POST and a JSON error body (the fast path answers alike, lib/oauth/node-mount.ts).
export const GET = methodNotAllowed;
export const PUT = methodNotAllowed;
export const PATCH = methodNotAllowed;
export const DELETE = methodNotAllowed;
