import { openApiDocument } from '@/lib/openapi/document';
import { notAllowed } from '@/lib/http/method-not-allowed';

// GET /api/openapi.json: the OpenAPI 3.1 document of the management API
export function GET() {
  return Response.json(openApiDocument(), { headers: { 'Cache-Control': 'public, max-age=300' } });
}

// Any other method: 405 with Allow (lib/http/method-not-allowed.ts).
export const POST = notAllowed('GET');
export const PUT = notAllowed('GET');
export const PATCH = notAllowed('GET');
export const DELETE = notAllowed('GET');
