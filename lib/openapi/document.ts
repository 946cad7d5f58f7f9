import {
  createDocument,
  type ZodOpenApiOperationObject,
  type ZodOpenApiPathItemObject,
  type ZodOpenApiPathsObject,
} from 'zod-openapi';
import { paths as auditPaths } from '@/lib/audit/openapi';
import { paths as auditSinkPaths } from '@/lib/audit-stream/openapi';
import { paths as federationPaths } from '@/lib/federation/openapi';
import { scopesGranting } from '@/lib/auth/permissions';
import { paths as memberPaths } from '@/lib/members/openapi';
import { clientSecretBasicScheme, paths as oauthPaths } from '@/lib/oauth/openapi';
import { paths as oemPaths } from '@/lib/oem/openapi';
import { paths as organizationPaths } from '@/lib/organizations/openapi';
import { paths as projectPaths } from '@/lib/projects/openapi';
import { paths as rolePaths } from '@/lib/roles/openapi';
import { paths as scopePaths } from '@/lib/scopes/openapi';
import { paths as serviceAccountPaths } from '@/lib/service-accounts/openapi';
import { paths as vehiclePaths } from '@/lib/vehicles/openapi';
import { paths as webhookPaths } from '@/lib/webhooks/openapi';
import { MANAGEMENT_SCOPES } from '@/lib/scopes/catalog';
import { OPERATION_PERMISSIONS } from './operation-permissions';

let cached: ReturnType<typeof createDocument> | undefined;

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

// The route folders and the document may name a path parameter differently ([brandSlug], {brand}).
const shape = (key: string) => key.replace(/\{[^}]+\}/g, '{}');
const PERMISSION_BY_SHAPE = new Map(Object.entries(OPERATION_PERMISSIONS).map(([key, p]) => [shape(key), p]));

/** The management scopes that allow an operation, or undefined when it is not an /api/v1 operation. */
export function requiredScopes(method: string, path: string): string[] | undefined {
  const permission = PERMISSION_BY_SHAPE.get(shape(`${method.toUpperCase()} ${path}`));
  return permission ? scopesGranting(permission) : undefined;
}

/**
 * withScopes states on each /api/v1 operation which management scopes allow it: as its
 * `security` (any one of them, or a console session) and as `x-required-scopes`, which the
 * reference page shows. An operation no scope grants (members, organization settings) is for
 * console sessions only, and says so.
 */
function withScopes(paths: ZodOpenApiPathsObject): ZodOpenApiPathsObject {
  return Object.fromEntries(
    Object.entries(paths).map(([path, item]) => {
      const next: ZodOpenApiPathItemObject = { ...item };
      for (const method of METHODS) {
        const op = item[method];
        const scopes = requiredScopes(method, path);
        if (!op || !scopes) continue;
        next[method] = {
          ...op,
          security: [...scopes.map((scope) => ({ oauth2: [scope] })), { session: [] }],
          'x-required-scopes': scopes,
        } as ZodOpenApiOperationObject;
      }
      return [path, next];
    }),
  );
}

/**
 * openApiDocument is the OpenAPI 3.1 description of /api/v1 and of the OAuth token service,
 * generated from zod schemas (for /api/v1 the ones the routes validate with), so the document
 * cannot drift from what the API accepts.
 */
export function openApiDocument(): ReturnType<typeof createDocument> {
  cached ??= createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Latchkey API',
      version: '1.0.0',
      description: [
        'The management API (`/api/v1`) does everything the console does. Call it with an access token of a service account that has **isAdmin** and holds the management scope the operation names (`Authorization: Bearer …`), or with a console session (then name the organization in the `Latchkey-Organization` header).',
        '',
        'Get tokens from the OAuth token service (`POST /api/oauth/token`), documented below with its discovery documents. Management API errors are RFC 9457 problem details with a stable `code`; token-service errors are RFC 6749 `error` objects.',
      ].join('\n'),
    },
    servers: [{ url: '/' }],
    security: [{ oauth2: [] }, { session: [] }],
    components: {
      securitySchemes: {
        oauth2: {
          type: 'oauth2',
          description:
            'An RFC 9068 access token of an isAdmin service account, sent as `Authorization: Bearer …` (or DPoP-bound). Any grant of the token endpoint works; client credentials is the usual one.',
          flows: {
            clientCredentials: {
              tokenUrl: '/api/oauth/token',
              scopes: Object.fromEntries(MANAGEMENT_SCOPES.map((s) => [s.name, s.description])),
            },
          },
        },
        session: { type: 'apiKey', in: 'cookie', name: 'next-auth.session-token', description: 'Console session' },
        clientSecretBasic: clientSecretBasicScheme,
      },
    },
    paths: {
      ...withScopes({
        ...organizationPaths,
        ...memberPaths,
        ...serviceAccountPaths,
        ...federationPaths,
        ...projectPaths,
        ...rolePaths,
        ...scopePaths,
        ...oemPaths,
        ...vehiclePaths,
        ...auditPaths,
        ...auditSinkPaths,
        ...webhookPaths,
      }),
      ...oauthPaths,
    },
  });
  return cached;
}
