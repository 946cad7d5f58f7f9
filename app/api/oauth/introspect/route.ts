import { handleIntrospection } from '@/lib/oauth/introspection';
import { methodNotAllowed } from '@/lib/oauth/errors';

export const dynamic = 'force-dynamic';

// POST /api/oauth/introspect: RFC 7662 token introspection (client authentication required)
export const POST = (request: Request) => handleIntrospection(request);

// Any other method: 405 with Allow: POST and a JSON error body (the fast path answers alike, lib/oauth/node-mount.ts).
export const GET = methodNotAllowed;
export const PUT = methodNotAllowed;
export const PATCH = methodNotAllowed;
export const DELETE = methodNotAllowed;
