import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MANAGEMENT_SCOPE_PERMISSIONS, PERMISSIONS } from '@/lib/auth/permissions';
import { grantTypes } from '@/lib/oauth/grants';
import { DOCUMENTED_GRANT_TYPES } from '@/lib/oauth/openapi';
import { openApiDocument, requiredScopes } from './document';
import { OPERATION_PERMISSIONS } from './operation-permissions';

describe('openApiDocument', () => {
  it('is an OpenAPI 3.1 document whose operations all document their errors', () => {
    const doc = openApiDocument();
    expect(doc.openapi).toBe('3.1.0');
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      if (!path.startsWith('/api/v1/')) continue;
      for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
        const op = (item as Record<string, { responses?: Record<string, unknown>; operationId?: string }>)[method];
        if (!op) continue;
        expect(op.operationId, `${method} ${path} needs an operationId`).toBeTruthy();
        expect(Object.keys(op.responses ?? {}), `${method} ${path}`).toEqual(expect.arrayContaining(['401', '404']));
      }
    }
  });

  it('documents the roles an integrator binds (GET /api/v1/roles) with the shared Role schema', () => {
    const doc = openApiDocument();
    expect(doc.paths?.['/api/v1/roles']?.get?.operationId).toBe('listRoles');
    expect(Object.keys(doc.components?.schemas ?? {})).toEqual(expect.arrayContaining(['Role', 'RoleList']));
  });
});

const root = path.resolve(import.meta.dirname, '../..');
function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? routeFiles(path.join(dir, e.name)) : e.name === 'route.ts' ? [path.join(dir, e.name)] : [],
  );
}
type Op = {
  operationId?: string;
  description?: string;
  security?: Array<Record<string, string[]>>;
  'x-required-scopes'?: string[];
  requestBody?: { content?: Record<string, unknown> };
  responses?: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
};
const docPaths = () => openApiDocument().paths as unknown as Record<string, Record<string, Op>>;

describe('management scopes in the document', () => {
  it('names, per operation, the permission its route checks, for every route, both ways', () => {
    const fromRoutes: Record<string, string> = {};
    for (const file of routeFiles(path.join(root, 'app/api/v1'))) {
      const apiPath = `/${path.relative(path.join(root, 'app'), path.dirname(file))}`.replace(/\[(\w+)\]/g, '{$1}');
      const source = readFileSync(file, 'utf8');
      for (const m of source.matchAll(
        /export const (GET|POST|PUT|PATCH|DELETE) = apiRoute\(\s*\{[^}]*?permission: '([\w.]+)'/g,
      ))
        fromRoutes[`${m[1]} ${apiPath}`] = m[2] ?? '';
    }
    expect(Object.keys(fromRoutes).length).toBeGreaterThan(50);
    expect(OPERATION_PERMISSIONS).toEqual(fromRoutes);
  });

  it('gives every /api/v1 operation its scopes as security alternatives, and never an internal permission name', () => {
    const permissionNames = Object.keys(PERMISSIONS);
    for (const [path, item] of Object.entries(docPaths())) {
      if (!path.startsWith('/api/v1/')) continue;
      for (const [method, op] of Object.entries(item)) {
        const scopes = requiredScopes(method, path);
        expect(scopes, `${method} ${path} has no entry in OPERATION_PERMISSIONS`).toBeDefined();
        expect(op['x-required-scopes']).toEqual(scopes);
        expect(op.security).toEqual([...(scopes ?? []).map((s) => ({ oauth2: [s] })), { session: [] }]);
        for (const s of scopes ?? []) expect(Object.keys(MANAGEMENT_SCOPE_PERMISSIONS)).toContain(s);
        for (const name of permissionNames)
          expect(op.description ?? '', `${op.operationId} names the permission ${name}`).not.toContain(`\`${name}\``);
      }
    }
    const paths = docPaths();
    expect(paths['/api/v1/service-accounts']?.post?.['x-required-scopes']).toEqual(['manage:service_accounts']);
    expect(paths['/api/v1/audit-events']?.get?.['x-required-scopes']).toEqual(['read:audit']);
    // No scope grants member management: console sessions only.
    expect(paths['/api/v1/members']?.post?.security).toEqual([{ session: [] }]);
  });
});

describe('the OAuth token service in the document', () => {
  it('documents token, introspect, revoke (form bodies, RFC 6749 errors) and the discovery documents', () => {
    const paths = docPaths();
    for (const p of ['/api/oauth/token', '/api/oauth/introspect', '/api/oauth/revoke']) {
      const op = paths[p]?.post;
      expect(op, p).toBeDefined();
      expect(Object.keys(op?.requestBody?.content ?? {})).toEqual(['application/x-www-form-urlencoded']);
      for (const status of ['400', '401'])
        expect(op?.responses?.[status]?.content?.['application/json']?.schema?.$ref, `${p} ${status}`).toBe(
          '#/components/schemas/OAuthError',
        );
    }
    for (const p of [
      '/.well-known/oauth-authorization-server',
      '/.well-known/openid-configuration',
      '/.well-known/jwks.json',
    ])
      expect(paths[p]?.get?.security, p).toEqual([]);
    const error = openApiDocument().components?.schemas?.OAuthError as { properties: { error: { enum: string[] } } };
    expect(error.properties.error.enum).toEqual(
      expect.arrayContaining(['invalid_client', 'invalid_grant', 'invalid_scope']),
    );
  });

  it('documents exactly the grant types the token endpoint serves', () => {
    expect([...DOCUMENTED_GRANT_TYPES].sort()).toEqual([...grantTypes()].sort());
  });
});
