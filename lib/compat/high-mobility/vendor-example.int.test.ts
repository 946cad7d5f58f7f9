import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import FormData from 'form-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as highMobilityRoute } from '@/app/compat/high-mobility/v1/auth_tokens/route';
import { createKeyPair } from '@/lib/credentials/create-key-pair';
import { resetEnvCache } from '@/lib/env';
import { PEER_IP_HEADER } from '@/lib/http/client-ip';
import { oauthListener } from '@/lib/oauth/node-mount';
import { createTestServiceAccount, orgWithRoles } from '@/lib/testing/service-account-fixtures';
import { verifyAccessToken } from '@/lib/tokens/access-token';

// High Mobility's own Node example (vendor-example/create_auth_token.cjs: their file, with the
// differences listed at its top) against the route handler, over real HTTP: the loopback server
// turns each request into the WHATWG Request Next.js hands the route, as `next start` would.

const run = promisify(execFile);
let server: Server;
let base: string;
// The production server's fast path (scripts/server.ts), which serves the compat flows itself.
let fastServer: Server;
let fastBase: string;
let dir: string;

async function toRequest(req: IncomingMessage): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
  headers.set(PEER_IP_HEADER, '127.0.0.1');
  return new Request(`${base}${req.url ?? '/'}`, { method: req.method, headers, body: Buffer.concat(chunks) });
}

beforeAll(async () => {
  server = createServer((req, res) => {
    void toRequest(req)
      .then((request) => highMobilityRoute(request))
      .then(async (response) => {
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fastServer = createServer(oauthListener((_req, res) => res.writeHead(418).end(), {}));
  await new Promise<void>((resolve) => fastServer.listen(0, '127.0.0.1', resolve));
  fastBase = `http://127.0.0.1:${(fastServer.address() as AddressInfo).port}`;
  // The issuer is the server's own URL, so the example's `aud` (its base URL) is ours.
  process.env.LATCHKEY_ISSUER = base;
  resetEnvCache();
  dir = await mkdtemp(path.join(tmpdir(), 'hm-example-'));
});
afterAll(async () => {
  delete process.env.LATCHKEY_ISSUER;
  resetEnvCache();
  await rm(dir, { recursive: true, force: true });
  await new Promise((resolve) => server.close(resolve));
  await new Promise((resolve) => fastServer.close(resolve));
});

/** keyConfigFile generates a key pair and saves the config JSON exactly as the console hands it over. */
async function keyConfigFile() {
  const { adminCtx } = await orgWithRoles();
  const account = await createTestServiceAccount(adminCtx);
  const { keyPair, config } = await createKeyPair(adminCtx, account.id, { name: 'high-mobility' });
  const file = path.join(dir, `${keyPair.id}.json`);
  await writeFile(file, `${JSON.stringify(config, null, 2)}\n`);
  return { file, keyPair, account };
}

async function runExample(file: string, mode: 'formData' | 'form', server = base) {
  const script = path.join(import.meta.dirname, 'vendor-example/create_auth_token.cjs');
  const { stdout } = await run(process.execPath, [script, file, `${server}/compat/high-mobility/v1`, mode]);
  return JSON.parse(stdout) as { error: string | null; statusCode: number; body: string };
}

describe("High Mobility's Node example, run unchanged against the compat flow", () => {
  it('multipart/form-data (`request` formData) with the console key config: 201 and an auth token for that key', async () => {
    const { file, keyPair, account } = await keyConfigFile();
    const out = await runExample(file, 'formData');
    expect(out.error).toBeNull();
    expect(out.statusCode).toBe(201);
    const body = JSON.parse(out.body) as { auth_token: string; valid_from: string; valid_until: string };
    expect(Object.keys(body).sort()).toEqual(['auth_token', 'valid_from', 'valid_until']);
    expect(await verifyAccessToken(body.auth_token)).toMatchObject({ sub: account.id, client_id: keyPair.id });
  });

  it('the published `form` variant (URL-encoded) works too', async () => {
    const { file } = await keyConfigFile();
    const out = await runExample(file, 'form');
    expect(out.statusCode).toBe(201);
  });

  it("the production server's fast path answers the multipart example the same way", async () => {
    const { file, keyPair } = await keyConfigFile();
    // The example's base URL is its `aud`: here the issuer is the fast-path server's URL.
    process.env.LATCHKEY_ISSUER = fastBase;
    resetEnvCache();
    try {
      const out = await runExample(file, 'formData', fastBase);
      expect(out.statusCode).toBe(201);
      const body = JSON.parse(out.body) as { auth_token: string };
      expect(await verifyAccessToken(body.auth_token)).toMatchObject({ client_id: keyPair.id });
    } finally {
      process.env.LATCHKEY_ISSUER = base;
      resetEnvCache();
    }
  });

  it('refuses multipart bodies with a file, too many fields, no boundary or too large, in High Mobility shape', async () => {
    const post = (body: BodyInit, type: string) =>
      fetch(`${base}/compat/high-mobility/v1/auth_tokens`, { method: 'POST', headers: { 'content-type': type }, body });
    const withFile = new FormData();
    withFile.append('assertion', Buffer.from('x'), { filename: 'a.jwt', contentType: 'application/jwt' });
    const many = new FormData();
    for (let i = 0; i < 25; i++) many.append(`f${i}`, 'v');
    const big = new FormData();
    big.append('assertion', 'a'.repeat(70 * 1024));
    for (const [form, detail] of [
      [withFile, 'Send form fields, not files.'],
      [many, 'The form has too many fields.'],
      [big, 'The request body is too large.'],
    ] as const) {
      const res = await post(new Blob([new Uint8Array(form.getBuffer())]), form.getHeaders()['content-type'] as string);
      expect(res.status).toBe(422);
      expect(await res.json()).toEqual({ errors: [{ title: 'Invalid request', source: 'body', detail }] });
    }
    const noBoundary = await post('assertion=x', 'multipart/form-data');
    expect(noBoundary.status).toBe(422);
  });
});
