import { restApiUserAccount } from '@/lib/compat/restapi/flow';

export const dynamic = 'force-dynamic';

// POST /compat/restapi/System/UserAccount: RestAPI.com clientId + clientSecret → token
export const POST = (request: Request) => restApiUserAccount(request);
