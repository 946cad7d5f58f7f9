import { unityTokenExchange } from '@/lib/compat/unity/flow';

export const dynamic = 'force-dynamic';

// POST /compat/unity/v1/token-exchange: Unity service account token exchange (Basic key id + secret)
export const POST = (request: Request) => unityTokenExchange(request);
