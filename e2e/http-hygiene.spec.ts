import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { expect, test } from './fixtures';

// Issue 11 item 9: HTTP hygiene on the real production server (scripts/server.ts), below Next.
const PORT = Number(process.env.E2E_PORT ?? 3100);
const ORIGIN = `http://localhost:${PORT}`;

type Answer = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

function send(method: string, path: string, headers: Record<string, string> = {}, body?: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: PORT, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('TRACE is 405 with Allow and a JSON problem, never 500', async () => {
  for (const path of ['/', '/api/v1/service-accounts', '/api/oauth/token']) {
    const res = await send('TRACE', path);
    expect(res.status).toBe(405);
    expect(res.headers.allow).toContain('GET');
    expect(JSON.parse(res.body)).toMatchObject({ code: 'method_not_allowed', status: 405 });
  }
});

test('every 405 says which methods the resource has', async () => {
  const cases: Array<[string, string, string]> = [
    ['DELETE', '/api/v1/roles', 'GET, HEAD, OPTIONS, POST'],
    ['GET', '/api/v1/roles/rol_00000000000000000000000000', 'DELETE, OPTIONS, PATCH'],
    ['PUT', '/api/v1/service-accounts', 'GET, HEAD, OPTIONS, POST'],
    ['GET', '/api/oauth/token', 'POST'],
    ['GET', '/compat/gebeta/api/v1/external/auth', 'POST'],
    ['POST', '/.well-known/jwks.json', 'GET, HEAD, OPTIONS'],
  ];
  for (const [method, path, allow] of cases) {
    const res = await send(method, path, { 'content-type': 'application/json', origin: ORIGIN });
    expect(res.status, `${method} ${path}`).toBe(405);
    expect(res.headers.allow, `${method} ${path}`).toBe(allow);
    expect(() => JSON.parse(res.body)).not.toThrow();
  }
});

test('a 16 KB request target is 414, not 431', async () => {
  const res = await send('GET', `/api/v1/service-accounts?q=${'a'.repeat(16 * 1024)}`);
  expect(res.status).toBe(414);
  expect(JSON.parse(res.body)).toMatchObject({ code: 'uri_too_long' });
});

test('a server action over the body limit is 413 and the connection is closed cleanly', async () => {
  const body = Buffer.alloc(2 * 1024 * 1024, 'a');
  const answer = await new Promise<{ head: string; closed: boolean }>((resolve, reject) => {
    const socket = connect(PORT, '127.0.0.1');
    let head = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (head += chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve({ head, closed: true }));
    socket.write(
      [
        'POST /setup HTTP/1.1',
        `Host: localhost:${PORT}`,
        `Origin: ${ORIGIN}`,
        'Next-Action: 0000000000000000000000000000000000000000',
        'Content-Type: multipart/form-data; boundary=x',
        `Content-Length: ${body.length}`,
        '',
        '',
      ].join('\r\n'),
    );
    // The client does not even get to send its body: the answer comes first, then the close.
    socket.write(body.subarray(0, 64 * 1024));
    setTimeout(() => reject(new Error('the server left the connection open')), 10_000).unref();
  });
  expect(answer.closed).toBe(true);
  expect(answer.head).toMatch(/^HTTP\/1\.1 413 /);
  expect(answer.head.toLowerCase()).toContain('connection: close');
  expect(answer.head).toContain('"code":"payload_too_large"');
});
