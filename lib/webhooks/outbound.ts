import 'server-only';

/** The most of a receiver's answer that is read; the rest is dropped with the connection. */
export const MAX_RESPONSE_BYTES = 64 * 1024;

export type PostResult =
  | { ok: true; status: number; latencyMs: number }
  | { ok: false; status: number | null; latencyMs: number; error: string };

/**
 * postWebhook sends one delivery: a POST of `body` with `headers`, answered within `timeoutMs`
 * (connection, answer and body together), redirects not followed (a 3xx is a failure: a
 * redirect would send the signed event to a host nobody configured), and at most
 * MAX_RESPONSE_BYTES of the answer read, so a receiver cannot hold a worker with an endless
 * body. Success is a 2xx status. Never throws; the error text names no secret.
 */
export async function postWebhook(
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<PostResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const signal = AbortSignal.timeout(timeoutMs);
  let status: number | null = null;
  try {
    const response = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal });
    status = response.status;
    await drain(response);
    if (status >= 200 && status < 300) return { ok: true, status, latencyMs: elapsed() };
    const error =
      status >= 300 && status < 400 ? `redirect (HTTP ${status}) not followed` : `HTTP ${status} from the receiver`;
    return { ok: false, status, latencyMs: elapsed(), error };
  } catch (error) {
    return { ok: false, status, latencyMs: elapsed(), error: describeFailure(error, signal, timeoutMs) };
  }
}

/** drain reads the answer up to MAX_RESPONSE_BYTES, then cancels the rest. */
async function drain(response: Response): Promise<void> {
  const reader = response.body?.getReader();
  if (!reader) return;
  let read = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    read += value.byteLength;
    if (read > MAX_RESPONSE_BYTES) {
      await reader.cancel().catch(() => undefined);
      return;
    }
  }
}

function describeFailure(error: unknown, signal: AbortSignal, timeoutMs: number): string {
  if (signal.aborted) return `no answer within ${timeoutMs} ms`;
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : null;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'connection reset by the receiver';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
  if (code?.startsWith('ERR_TLS') || code?.includes('CERT')) return 'TLS handshake failed';
  return code ? `request failed (${code})` : 'request failed';
}
