import { authorizationServerMetadata } from '@/lib/oauth/endpoints';

export const dynamic = 'force-dynamic';

// GET /.well-known/oauth-authorization-server: RFC 8414 authorization server metadata
export function GET() {
  return Response.json(authorizationServerMetadata(), { headers: { 'Cache-Control': 'public, max-age=300' } });
}
