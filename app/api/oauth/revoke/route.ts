import { handleRevocation } from '@/lib/oauth/endpoints';

export const dynamic = 'force-dynamic';

// POST /api/oauth/revoke: RFC 7009 token revocation (client authentication required)
export const POST = (request: Request) => handleRevocation(request);
