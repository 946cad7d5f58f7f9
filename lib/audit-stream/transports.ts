import 'server-only';
import { open } from 'node:fs/promises';
import net from 'node:net';
import tls from 'node:tls';
import ipaddr from 'ipaddr.js';
import { addressAllowed, guardedLookup } from '@/lib/webhooks/address-guard';
import { postWebhook, type OutboundPolicy } from '@/lib/webhooks/outbound';
import { octetFrame, otlpRequest, syslogMessage, type StreamRecord } from './records';

export type SinkTarget =
  | { kind: 'OTLP_HTTP'; url: string; headers: Record<string, string> }
  | { kind: 'SYSLOG_TCP'; host: string; port: number; tls: boolean }
  | { kind: 'NDJSON_FILE'; path: string };

/** Thrown when a sink did not acknowledge a batch; its message names no secret. */
export class SinkError extends Error {}

/**
 * sendBatch delivers the records in order and resolves only once the sink acknowledged all of
 * them: OTLP/HTTP a 2xx answer, syslog every frame written and flushed to the connection, a
 * file written and fsync'ed. Anything else throws SinkError, and
 * the caller does not advance the sink's cursor (the whole batch is sent again: at least once).
 *
 * OTLP/HTTP is posted here as OTLP/JSON rather than through @opentelemetry/exporter-logs-otlp-http:
 * that exporter batches and retries on its own timer and reports a result per export of its
 * processor, not per batch we choose, and it connects without our SSRF guard. The request
 * goes through lib/webhooks/outbound.ts (guardedLookup on the address connected to, no redirects,
 * bounded answer, timeout).
 */
export async function sendBatch(
  target: SinkTarget,
  records: StreamRecord[],
  options: { policy: OutboundPolicy; timeoutMs: number; hostName: string },
): Promise<void> {
  if (records.length === 0) return;
  switch (target.kind) {
    case 'OTLP_HTTP': {
      const body = JSON.stringify(otlpRequest(records, new Date(), options.hostName));
      const result = await postWebhook(
        target.url,
        { ...target.headers, 'content-type': 'application/json', 'user-agent': 'Latchkey-Audit-Stream/1' },
        body,
        options.timeoutMs,
        options.policy,
      );
      if (!result.ok) throw new SinkError(result.error);
      return;
    }
    case 'SYSLOG_TCP':
      return sendSyslog(target, records, options);
    case 'NDJSON_FILE': {
      const file = await open(target.path, 'a', 0o600);
      try {
        await file.writeFile(records.map((r) => `${JSON.stringify(r)}\n`).join(''));
        await file.sync();
      } finally {
        await file.close();
      }
    }
  }
}

function sendSyslog(
  target: { host: string; port: number; tls: boolean },
  records: StreamRecord[],
  options: { policy: OutboundPolicy; timeoutMs: number; hostName: string },
): Promise<void> {
  const { policy } = options;
  const host = target.host.replace(/^\[|\]$/g, '');
  if (ipaddr.isValid(host) && !addressAllowed(host, policy.allowLoopback, policy.allowedCidrs))
    return Promise.reject(new SinkError('address not allowed for audit streaming'));
  const payload = Buffer.concat(records.map((r) => octetFrame(syslogMessage(r, options.hostName))));
  return new Promise<void>((resolve, reject) => {
    const lookup = guardedLookup(policy.allowLoopback, policy.allowedCidrs);
    const socket = target.tls
      ? tls.connect({ host, port: target.port, servername: ipaddr.isValid(host) ? undefined : host, lookup })
      : net.connect({ host, port: target.port, lookup });
    let settled = false;
    let flushed = false;
    const fail = (message: string) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      reject(new SinkError(message));
    };
    socket.setTimeout(options.timeoutMs, () => fail(`no progress within ${options.timeoutMs} ms`));
    socket.on('error', (error: NodeJS.ErrnoException) => fail(describe(error)));
    socket.once(target.tls ? 'secureConnect' : 'connect', () => {
      // end() writes the batch and half-closes; its callback ('finish') runs once every byte was
      // flushed to the connection. RFC 6587 has no application-level acknowledgement: a receiver
      // that closes its side in turn has read everything, which is the acknowledgement taken
      // here; one that keeps its side open is taken as acknowledged a second after the flush
      // (and let go), so such receivers are not sent the same batch forever.
      socket.end(payload, () => {
        flushed = true;
        setTimeout(() => {
          if (settled) return;
          settled = true;
          resolve();
          socket.destroy();
        }, 1_000).unref();
      });
    });
    socket.on('close', (hadError) => {
      if (settled) return;
      if (!flushed || hadError) return fail('connection closed before the batch was flushed');
      settled = true;
      resolve();
    });
    socket.on('data', () => undefined);
  });
}

function describe(error: NodeJS.ErrnoException): string {
  const code = error.code ?? '';
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'EADDRNOTALLOWED') return 'address not allowed for audit streaming';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'connection reset by the sink';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
  if (code.startsWith('ERR_TLS') || code.includes('CERT')) return 'TLS handshake failed';
  return code ? `connection failed (${code})` : 'connection failed';
}
