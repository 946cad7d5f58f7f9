import { handleTokenRequest } from '@/lib/oauth/token-endpoint';
import { methodNotAllowed } from '@/lib/oauth/errors';

export const dynamic = 'force-dynamic';

// POST /api/oauth/token: RFC 6749 token endpoint (client_credentials, jwt-bearer, refresh_token, token-exchange)
export const POST = (request: Request) => handleTokenRequest(request);

// Any other method: 405 with Allow: POST and a JSON error body (the fast path answers alike, lib/oauth/node-mount.ts).
export const GET = methodNotAllowed;
export const PUT = methodNotAllowed;
export const PATCH = methodNotAllowed;
export const DELETE = methodNotAllowed;
