import { highMobilityAuthToken } from '@/lib/compat/high-mobility/flow';
import { methodNotAllowed } from '@/lib/oauth/errors';

export const dynamic = 'force-dynamic';

// POST /compat/high-mobility/v1/auth_tokens: High Mobility service account auth token (JWT assertion)
export const POST = (request: Request) => highMobilityAuthToken(request);

// Any other method: 405 with Allow: POST (the fast path answers alike, lib/oauth/node-mount.ts).
export const GET = methodNotAllowed;
export const PUT = methodNotAllowed;
export const PATCH = methodNotAllowed;
export const DELETE = methodNotAllowed;
