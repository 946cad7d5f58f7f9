import { restApiUserAccount } from '@/lib/compat/restapi/flow';
import { methodNotAllowed } from '@/lib/oauth/errors';

export const dynamic = 'force-dynamic';

// POST /compat/restapi/System/UserAccount: RestAPI.com clientId + clientSecret → token
export const POST = (request: Request) => restApiUserAccount(request);

// Any other method: 405 with Allow: POST (the fast path answers alike, lib/oauth/node-mount.ts).
export const GET = methodNotAllowed;
export const PUT = methodNotAllowed;
export const PATCH = methodNotAllowed;
export const DELETE = methodNotAllowed;
