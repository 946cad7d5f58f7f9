import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postWebhook } from './outbound';

// Deliveries connect only where the policy allows, checked on the address actually used.
let server: Server;
let port = 0;
let received = 0;
beforeAll(async () => {
  server = createServer((req, res) => {
    received++;
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const closed = { allowLoopback: false, allowedCidrs: [] };
const open = { allowLoopback: true, allowedCidrs: [] };

describe('postWebhook', () => {
  it('refuses a loopback receiver by IP literal or by name unless allowed, sending nothing', async () => {
    const before = received;
    const literal = await postWebhook(`http://127.0.0.1:${port}/hook`, {}, '{}', 2000, closed);
    expect(literal).toMatchObject({ ok: false, status: null, error: 'address not allowed for webhooks' });
    const named = await postWebhook(`http://localhost:${port}/hook`, {}, '{}', 2000, closed);
    expect(named).toMatchObject({ ok: false, status: null, error: 'address not allowed for webhooks' });
    expect(received).toBe(before);
  });

  it('delivers where the policy allows it (positive control)', async () => {
    const before = received;
    expect(await postWebhook(`http://127.0.0.1:${port}/hook`, {}, '{}', 2000, open)).toMatchObject({
      ok: true,
      status: 204,
    });
    expect(await postWebhook(`http://localhost:${port}/hook`, {}, '{}', 2000, open)).toMatchObject({ ok: true });
    expect(received).toBe(before + 2);
  });
});
