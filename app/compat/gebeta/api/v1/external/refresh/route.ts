import { gebetaRefresh } from '@/lib/compat/gebeta/flow';
import { methodNotAllowed } from '@/lib/oauth/errors';

export const dynamic = 'force-dynamic';

// POST /compat/gebeta/api/v1/external/refresh: Gebeta Maps refresh token rotation
export const POST = (request: Request) => gebetaRefresh(request);

// Any other method: 405 with Allow: POST (the fast path answers alike, lib/oauth/node-mount.ts).
export const GET = methodNotAllowed;
export const PUT = methodNotAllowed;
export const PATCH = methodNotAllowed;
export const DELETE = methodNotAllowed;
