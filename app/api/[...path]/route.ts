import { notFoundRoute } from '@/lib/http/not-found';

export const dynamic = 'force-dynamic';

// /api/*: any method on an unknown path answers a JSON 404 (RFC 9457 problem), not the console's HTML page
export const GET = notFoundRoute('api');
export const POST = GET;
export const PUT = GET;
export const PATCH = GET;
export const DELETE = GET;
