import 'server-only';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { PEER_IP_HEADER } from '@/lib/http/client-ip';
import { logger } from '@/lib/logger';
import { introspectionEndpoint, jwksReply, metadataReply, revocationEndpoint, tokenEndpoint } from './endpoints';
import { bodyTooLarge, MAX_FORM_BYTES, type OAuthReply, type OAuthRequest } from './errors';

/**
 * The token service's second mount: the production server (scripts/server.ts) answers these
 * routes itself, without the Next.js request pipeline, by calling the very functions the
 * app/api/oauth and app/.well-known route handlers call (one implementation, two mounts; the
 * routes still serve `next dev` and `next start`). Only the conversion differs: the Node request
 * becomes the minimal OAuthRequest (headers + a size-limited body), the reply is written as is.
 *
 * The caller must already have set the peer-IP header from the socket (lib/http/client-ip.ts),
 * exactly as it does before handing a request to Next.
 */
type Endpoint = (request: OAuthRequest) => Promise<OAuthReply>;

const ROUTES: Record<string, Endpoint> = {
  'POST /api/oauth/token': tokenEndpoint,
  'POST /api/oauth/introspect': introspectionEndpoint,
  'POST /api/oauth/revoke': revocationEndpoint,
  'GET /.well-known/jwks.json': () => jwksReply(),
  'GET /.well-known/oauth-authorization-server': async () => metadataReply(),
  'GET /.well-known/openid-configuration': async () => metadataReply(),
};

/** oauthRoute returns the endpoint for a method and request target, or null (Next serves it). */
export function oauthRoute(method: string | undefined, url: string | undefined): Endpoint | null {
  if (!method || !url) return null;
  const q = url.indexOf('?');
  return ROUTES[`${method} ${q < 0 ? url : url.slice(0, q)}`] ?? null;
}

function headerBag(headers: IncomingHttpHeaders): OAuthRequest['headers'] {
  return {
    get(name) {
      const value = headers[name.toLowerCase()];
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(', ') : value;
    },
  };
}

/**
 * readBody reads the body as UTF-8 text, at most MAX_FORM_BYTES: a longer body (announced or
 * actual) is refused with the same invalid_request the Next mount gives, without buffering it.
 */
function readBody(req: IncomingMessage): Promise<string> {
  const announced = Number(req.headers['content-length'] ?? 0);
  if (announced > MAX_FORM_BYTES) return Promise.reject(bodyTooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_FORM_BYTES) {
        req.removeAllListeners('data');
        req.removeAllListeners('end');
        reject(bodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () =>
      resolve(chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8')),
    );
    req.on('error', reject);
  });
}

/**
 * serveOAuth answers one request on the fast path. `extraHeaders` are the headers the Next.js
 * configuration adds to every response (next.config.mjs `headers()`), so that both mounts answer
 * alike. A request whose body was not read to the end gets `Connection: close`.
 */
export async function serveOAuth(
  endpoint: Endpoint,
  req: IncomingMessage,
  res: ServerResponse,
  extraHeaders: Record<string, string>,
): Promise<void> {
  let bodyRead: Promise<string> | undefined;
  const request: OAuthRequest = { headers: headerBag(req.headers), text: () => (bodyRead ??= readBody(req)) };
  let reply: OAuthReply;
  try {
    reply = await endpoint(request);
  } catch (error) {
    // The endpoints render their own errors; this is only a failure outside them (e.g. the JWKS could not be loaded).
    // Only the path: a misguided client may put credentials in the query string.
    logger.error({ err: error, path: req.url?.split('?')[0] }, 'token service fast path failed');
    reply = {
      status: 500,
      headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
      body: JSON.stringify({ error: 'server_error', error_description: 'Something went wrong on our side.' }),
    };
  }
  const headers: Record<string, string | number> = {
    ...extraHeaders,
    ...reply.headers,
    'Content-Length': Buffer.byteLength(reply.body),
  };
  if (!req.complete) headers.Connection = 'close';
  res.writeHead(reply.status, headers);
  res.end(reply.body);
  if (!req.complete) req.resume();
}

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * oauthListener is the production server's request listener (scripts/server.ts): it records
 * the socket's peer address under PEER_IP_HEADER, overwriting whatever a client sent under that
 * name (only the socket tells the truth; X-Forwarded-For is believed only from configured
 * proxies, lib/http/client-ip.ts), then answers the token service's routes itself and hands
 * every other request to `fallback` (Next.js).
 */
export function oauthListener(fallback: Listener, extraHeaders: Record<string, string>): Listener {
  return (req, res) => {
    req.headers[PEER_IP_HEADER] = req.socket.remoteAddress ?? '';
    const endpoint = oauthRoute(req.method, req.url);
    if (endpoint) void serveOAuth(endpoint, req, res, extraHeaders);
    else fallback(req, res);
  };
}
