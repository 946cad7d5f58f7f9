import { gebetaAuth } from '@/lib/compat/gebeta/flow';
import { methodNotAllowed } from '@/lib/oauth/errors';

export const dynamic = 'force-dynamic';

// POST /compat/gebeta/api/v1/external/auth: Gebeta Maps client token + server token → tokens
export const POST = (request: Request) => gebetaAuth(request);

// Any other method: 405 with Allow: POST (the fast path answers alike, lib/oauth/node-mount.ts).
export const GET = methodNotAllowed;
export const PUT = methodNotAllowed;
export const PATCH = methodNotAllowed;
export const DELETE = methodNotAllowed;
