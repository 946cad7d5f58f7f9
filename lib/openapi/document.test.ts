import { describe, expect, it } from 'vitest';
import { openApiDocument } from './document';

describe('openApiDocument', () => {
  it('is an OpenAPI 3.1 document whose operations all document their errors', () => {
    const doc = openApiDocument();
    expect(doc.openapi).toBe('3.1.0');
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      expect(path.startsWith('/api/v1/')).toBe(true);
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
