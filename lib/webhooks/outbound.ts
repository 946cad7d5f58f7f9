import 'server-only';
import http from 'node:http';
import https from 'node:https';
import ipaddr from 'ipaddr.js';
import { addressAllowed, guardedLookup, type Cidr } from './address-guard';

/** The most of a receiver's answer that is read; the rest is dropped with the connection. */
export const MAX_RESPONSE_BYTES = 64 * 1024;

export type PostResult =
  | { ok: true; status: number; latencyMs: number }
  | { ok: false; status: number | null; latencyMs: number; error: string };

/** Where a delivery may connect (lib/webhooks/address-guard.ts). */
export type OutboundPolicy = { allowLoopback: boolean; allowedCidrs: Cidr[] };

/**
 * postWebhook sends one delivery: a POST of `body` with `headers`, answered within `timeoutMs`
 * (connection, answer and body together), redirects not followed (a 3xx is a failure: a
 * redirect would send the signed event to a host nobody configured), at most
 * MAX_RESPONSE_BYTES of the answer read, so a receiver cannot hold a worker with an endless
 * body, and only to addresses the policy allows, checked on the address actually connected to.
 * Success is a 2xx status. Never throws; the error text names no secret.
 */
export async function postWebhook(
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
  policy: OutboundPolicy,
): Promise<PostResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const signal = AbortSignal.timeout(timeoutMs);
  let status: number | null = null;
  try {
    const target = new URL(url);
    const host = target.hostname.replace(/^\[|\]$/g, '');
    // An IP literal is connected to without a lookup: check it here.
    if (ipaddr.isValid(host) && !addressAllowed(host, policy.allowLoopback, policy.allowedCidrs))
      return { ok: false, status: null, latencyMs: elapsed(), error: 'address not allowed for webhooks' };
    const response = await send(target, headers, body, signal, policy);
    status = response.status;
    if (status >= 200 && status < 300) return { ok: true, status, latencyMs: elapsed() };
    const error =
      status >= 300 && status < 400 ? `redirect (HTTP ${status}) not followed` : `HTTP ${status} from the receiver`;
    return { ok: false, status, latencyMs: elapsed(), error };
  } catch (error) {
    return { ok: false, status, latencyMs: elapsed(), error: describeFailure(error, signal, timeoutMs) };
  }
}

/** send makes the request with node:http(s) (its `lookup` is where the address is checked) and reads at most MAX_RESPONSE_BYTES. */
function send(
  target: URL,
  headers: Record<string, string>,
  body: string,
  signal: AbortSignal,
  policy: OutboundPolicy,
): Promise<{ status: number }> {
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': Buffer.byteLength(body) },
        signal,
        lookup: guardedLookup(policy.allowLoopback, policy.allowedCidrs),
        agent: false,
      },
      (response) => {
        let read = 0;
        response.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_RESPONSE_BYTES) response.destroy();
        });
        const done = () => resolve({ status: response.statusCode ?? 0 });
        response.on('end', done);
        response.on('close', done);
        response.on('error', done);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}
function describeFailure(error: unknown, signal: AbortSignal, timeoutMs: number): string {
  if (signal.aborted) return `no answer within ${timeoutMs} ms`;
  const e = error as { code?: unknown; cause?: { code?: unknown } } | null;
  const raw = e?.cause?.code ?? e?.code;
  const code = typeof raw === 'string' ? raw : null;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'EADDRNOTALLOWED') return 'address not allowed for webhooks';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'connection reset by the receiver';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
  if (code?.startsWith('ERR_TLS') || code?.includes('CERT')) return 'TLS handshake failed';
  return code ? `request failed (${code})` : 'request failed';
}
