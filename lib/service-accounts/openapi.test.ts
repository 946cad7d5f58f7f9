import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '@/lib/openapi/document';

const root = path.resolve(import.meta.dirname, '../..');
const routesDir = path.join(root, 'app/api/v1/service-accounts');

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? routeFiles(path.join(dir, e.name)) : e.name === 'route.ts' ? [path.join(dir, e.name)] : [],
  );
}

describe('service-account OpenAPI paths', () => {
  it('document every exported verb of every route file, with a unique operationId', () => {
    const doc = openApiDocument() as unknown as {
      paths: Record<string, Record<string, { operationId?: string; responses?: object }>>;
    };
    const ids = new Set<string>();
    let count = 0;
    for (const file of routeFiles(routesDir)) {
      const apiPath = `/${path.relative(path.join(root, 'app'), path.dirname(file))}`.replace(/\[(\w+)\]/g, '{$1}');
      // The verbs a route serves (those answered 405 by notAllowed are not operations).
      const verbs = [
        ...readFileSync(file, 'utf8').matchAll(/export const (GET|POST|PUT|PATCH|DELETE)\b(?! = notAllowed)/g),
      ].map((m) => (m[1] ?? '').toLowerCase());
      for (const verb of verbs) {
        const op = doc.paths[apiPath]?.[verb];
        expect(op, `${verb.toUpperCase()} ${apiPath} is not documented`).toBeDefined();
        expect(op?.operationId).toBeTruthy();
        expect(ids.has(op?.operationId ?? ''), `duplicate ${op?.operationId}`).toBe(false);
        ids.add(op?.operationId ?? '');
        count++;
      }
    }
    expect(count).toBeGreaterThanOrEqual(20);
    // And nothing is documented that no route serves.
    const documented = Object.entries(doc.paths)
      .filter(([p]) => p.startsWith('/api/v1/service-accounts'))
      .flatMap(([, item]) => Object.keys(item).filter((k) => ['get', 'post', 'put', 'patch', 'delete'].includes(k)));
    expect(documented.length).toBe(count);
  });
});
