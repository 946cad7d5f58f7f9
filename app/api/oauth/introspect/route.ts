import { handleIntrospection } from '@/lib/oauth/endpoints';

export const dynamic = 'force-dynamic';

// POST /api/oauth/introspect: RFC 7662 token introspection (client authentication required)
export const POST = (request: Request) => handleIntrospection(request);
