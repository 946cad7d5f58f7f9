import { notFoundRoute } from '@/lib/http/not-found';

export const dynamic = 'force-dynamic';

// /compat/restapi/*: any method on an unknown path answers a JSON 404 (the RestAPI error shape), not the console's HTML page
export const GET = notFoundRoute('restapi');
export const POST = GET;
export const PUT = GET;
export const PATCH = GET;
export const DELETE = GET;
