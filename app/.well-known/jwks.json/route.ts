import { publishedJwks } from '@/lib/signing-keys/signing-keys';

export const dynamic = 'force-dynamic';

// GET /.well-known/jwks.json: the public signing keys (active, pending and recently retired)
export async function GET() {
  return Response.json(await publishedJwks(), { headers: { 'Cache-Control': 'public, max-age=300' } });
}
