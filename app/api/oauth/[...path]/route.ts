import { notFoundRoute } from '@/lib/http/not-found';

export const dynamic = 'force-dynamic';

// /api/oauth/*: any method on an unknown path answers a JSON 404 (RFC 6749-style error), not the console's HTML page
export const GET = notFoundRoute('oauth');
export const POST = GET;
export const PUT = GET;
export const PATCH = GET;
export const DELETE = GET;
