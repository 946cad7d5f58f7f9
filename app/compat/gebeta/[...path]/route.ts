import { notFoundRoute } from '@/lib/http/not-found';

export const dynamic = 'force-dynamic';

// /compat/gebeta/*: any method on an unknown path answers a JSON 404 (Gebeta's error shape), not the console's HTML page
export const GET = notFoundRoute('gebeta');
export const POST = GET;
export const PUT = GET;
export const PATCH = GET;
export const DELETE = GET;
