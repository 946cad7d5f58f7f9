import { openApiDocument } from '@/lib/openapi/document';

// GET /api/openapi.json: the OpenAPI 3.1 document of the management API
export function GET() {
  return Response.json(openApiDocument(), { headers: { 'Cache-Control': 'public, max-age=300' } });
}
