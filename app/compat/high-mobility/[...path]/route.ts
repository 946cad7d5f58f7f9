import { notFoundRoute } from '@/lib/http/not-found';

export const dynamic = 'force-dynamic';

// /compat/high-mobility/*: any method on an unknown path answers a JSON 404 (High Mobility's error shape), not the console's HTML page
export const GET = notFoundRoute('high-mobility');
export const POST = GET;
export const PUT = GET;
export const PATCH = GET;
export const DELETE = GET;
