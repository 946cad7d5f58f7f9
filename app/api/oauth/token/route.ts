import { handleTokenRequest } from '@/lib/oauth/endpoints';

export const dynamic = 'force-dynamic';

// POST /api/oauth/token: RFC 6749 token endpoint (client_credentials, jwt-bearer, refresh_token, token-exchange)
export const POST = (request: Request) => handleTokenRequest(request);
