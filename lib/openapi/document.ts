import { createDocument } from 'zod-openapi';
import { paths as auditPaths } from '@/lib/audit/openapi';
import { paths as auditSinkPaths } from '@/lib/audit-stream/openapi';
import { paths as federationPaths } from '@/lib/federation/openapi';
import { paths as memberPaths } from '@/lib/members/openapi';
import { paths as oemPaths } from '@/lib/oem/openapi';
import { paths as organizationPaths } from '@/lib/organizations/openapi';
import { paths as projectPaths } from '@/lib/projects/openapi';
import { paths as rolePaths } from '@/lib/roles/openapi';
import { paths as serviceAccountPaths } from '@/lib/service-accounts/openapi';
import { paths as vehiclePaths } from '@/lib/vehicles/openapi';
import { paths as webhookPaths } from '@/lib/webhooks/openapi';

let cached: ReturnType<typeof createDocument> | undefined;

/**
 * openApiDocument is the OpenAPI 3.1 description of /api/v1, generated from the zod schemas
 * the routes validate with, so the document cannot drift from what the API accepts.
 */
export function openApiDocument(): ReturnType<typeof createDocument> {
  cached ??= createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Latchkey management API',
      version: '1.0.0',
      description:
        'Everything the console can do. Authenticate with an access token of an isAdmin service account holding the matching management scope (`Authorization: Bearer …`), or with a console session (then name the organization in the `Latchkey-Organization` header). Errors are RFC 9457 problem details with a stable `code`.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }, { session: [] }],
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'RFC 9068 access token from POST /api/oauth/token',
        },
        session: { type: 'apiKey', in: 'cookie', name: 'next-auth.session-token', description: 'Console session' },
      },
    },
    paths: {
      ...organizationPaths,
      ...memberPaths,
      ...serviceAccountPaths,
      ...federationPaths,
      ...projectPaths,
      ...rolePaths,
      ...oemPaths,
      ...vehiclePaths,
      ...auditPaths,
      ...auditSinkPaths,
      ...webhookPaths,
    },
  });
  return cached;
}
