import { db } from '@/lib/db/client';

export const dynamic = 'force-dynamic';

// GET /api/health: liveness and database reachability, for load balancers.
export async function GET() {
  try {
    await db.$queryRaw`SELECT 1`;
    return Response.json({ status: 'ok' }, { headers: { 'Cache-Control': 'no-store' } });
  } catch {
    return Response.json({ status: 'unavailable' }, { status: 503, headers: { 'Cache-Control': 'no-store' } });
  }
}
