import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { oauthRoute } from './node-mount';

const root = path.resolve(import.meta.dirname, '../..');

/** Every route handler under `dir`, as "METHOD /path" (the path from the folders, as Next mounts it). */
function routesUnder(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true, recursive: true })) {
    // Catch-all segments ([...path]) answer unknown paths with a 404 and run no token service.
    if (!entry.isFile() || entry.name !== 'route.ts' || entry.parentPath.includes('[')) continue;
    const file = path.join(entry.parentPath, entry.name);
    const urlPath = `/${path.relative(path.join(root, 'app'), entry.parentPath).split(path.sep).join('/')}`;
    // A method answered by notAllowed() (a 405, lib/http/method-not-allowed.ts) runs no token
    // service either: Next may answer it.
    for (const [, method, value] of readFileSync(file, 'utf8').matchAll(
      /export const (GET|POST|PUT|PATCH|DELETE) = ([\w(]+)/g,
    ))
      if (value !== 'notAllowed(') found.push(`${method} ${urlPath}`);
  }
  return found.sort();
}

describe('the fast path serves the whole token service', () => {
  // In production Next's copy of lib/ must not run the token service (lib/process-state.ts):
  // a token-service route added under app/ without a fast-path entry would run it there.
  it('every app/ route of the token service, /compat/* included, has its fast-path endpoint', () => {
    const routes = [...routesUnder('app/api/oauth'), ...routesUnder('app/.well-known'), ...routesUnder('app/compat')];
    expect(routes).toContain('POST /compat/restapi/System/UserAccount');
    expect(
      routes.filter((r) => {
        const [method, url] = r.split(' ');
        return oauthRoute(method, url) === null;
      }),
    ).toEqual([]);
  });
});
