import { unityTokenExchange } from '@/lib/compat/unity/flow';
import { methodNotAllowed } from '@/lib/oauth/errors';

export const dynamic = 'force-dynamic';

// POST /compat/unity/v1/token-exchange: Unity service account token exchange (Basic key id + secret)
export const POST = (request: Request) => unityTokenExchange(request);

// Any other method: 405 with Allow: POST (the fast path answers alike, lib/oauth/node-mount.ts).
export const GET = methodNotAllowed;
export const PUT = methodNotAllowed;
export const PATCH = methodNotAllowed;
export const DELETE = methodNotAllowed;
