import 'server-only';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { COMPAT_ROUTES } from '@/lib/compat/routes';
import { PEER_IP_HEADER } from '@/lib/http/client-ip';
import { requestMeta } from '@/lib/http/request-meta';
import { logger } from '@/lib/logger';
import { introspectionEndpoint } from './introspection';
import { jwksReply, metadataReply } from './metadata';
import { revocationEndpoint } from './revocation';
import { tokenEndpoint } from './token-endpoint';
import { bodyTooLarge, MAX_FORM_BYTES, methodNotAllowedReply, type OAuthReply, type OAuthRequest } from './errors';

/**
 * The token service's second mount: the production server (scripts/server.ts) answers these
 * routes itself, without the Next.js request pipeline, by calling the very functions the
 * app/api/oauth and app/.well-known route handlers call (one implementation, two mounts; the
 * routes still serve `next dev` and `next start`). Only the conversion differs: the Node request
 * becomes the minimal OAuthRequest (headers + a size-limited body), the reply is written as is.
 *
 * The caller must already have set the peer-IP header from the socket (lib/http/client-ip.ts),
 * exactly as it does before handing a request to Next.
 *
 * Every token-service route is served here, the vendor flows of /compat/* included (as WHATWG
 * Requests, which is what they take): the production server holds two copies of lib/ (this one
 * and Next's bundle) that share no state (lib/process-state.ts), and the token service must run
 * in one of them only, or its rate limits and its cache of client secrets would be split in two.
 * node-mount.test.ts checks that no app/ route of the token service is left to Next.
 */
/** The fast path's request: an OAuthRequest that can also list its header names (for the compat flows). */
type NodeRequest = OAuthRequest & { headerNames?: () => string[] };
type Endpoint = (request: NodeRequest) => Promise<OAuthReply>;

const ROUTES: Record<string, Endpoint> = {
  'POST /api/oauth/token': tokenEndpoint,
  'POST /api/oauth/introspect': introspectionEndpoint,
  'POST /api/oauth/revoke': revocationEndpoint,
  'GET /.well-known/jwks.json': () => jwksReply(),
  'GET /.well-known/oauth-authorization-server': async () => metadataReply(),
  'GET /.well-known/openid-configuration': async () => metadataReply(),
};

/** The POST-only endpoints (OAuth and the vendor flows): any other method answers 405 with Allow: POST (as their app/ route handlers do). */
const POST_ONLY = new Set([
  '/api/oauth/token',
  '/api/oauth/introspect',
  '/api/oauth/revoke',
  ...Object.keys(COMPAT_ROUTES).map((key) => key.slice('POST '.length)),
]);
const methodNotAllowed: Endpoint = async (request) => methodNotAllowedReply(request);

/** oauthRoute returns the endpoint for a method and request target, or null (Next serves it). */
export function oauthRoute(method: string | undefined, url: string | undefined): Endpoint | null {
  if (!method || !url) return null;
  const q = url.indexOf('?');
  const urlPath = q < 0 ? url : url.slice(0, q);
  const key = `${method} ${urlPath}`;
  const compat = COMPAT_ROUTES[key];
  const route = ROUTES[key] ?? (compat ? compatEndpoint(compat, url) : null);
  if (route) return route;
  return POST_ONLY.has(urlPath) ? methodNotAllowed : null;
}

/**
 * compatEndpoint runs a vendor flow on the fast path: the minimal request becomes a WHATWG
 * Request whose body is read (size-limited, as for the OAuth routes) only when the flow reads
 * it; a body over the limit makes `text()` reject with the same invalid_request, which the flow
 * renders in its vendor's shape. The Response becomes the reply.
 */
/** Headers that describe the connection or the framing, not the request: not passed on. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'upgrade', 'expect']);

function compatEndpoint(flow: (request: Request) => Promise<Response>, url: string): Endpoint {
  return async (request) => {
    const body = new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          try {
            const text = await request.text();
            if (text) controller.enqueue(Buffer.from(text, 'utf8'));
            controller.close();
          } catch (error) {
            controller.error(error);
          }
        },
      },
      { highWaterMark: 0 },
    );
    const headers = new Headers();
    for (const name of request.headerNames?.() ?? []) {
      const value = request.headers.get(name);
      if (value !== null && !HOP_BY_HOP.has(name.toLowerCase())) headers.set(name, value);
    }
    // A streamed body needs duplex: 'half' (Node's fetch), which TypeScript's RequestInit lacks.
    const init: RequestInit & { duplex: 'half' } = { method: 'POST', headers, body, duplex: 'half' };
    const response = await flow(new Request(new URL(url, 'http://latchkey.internal'), init));
    return { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
  };
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
  const request: NodeRequest = {
    headers: headerBag(req.headers),
    headerNames: () => Object.keys(req.headers),
    text: () => (bodyRead ??= readBody(req)),
    url: req.url,
  };
  let reply: OAuthReply;
  try {
    reply = await endpoint(request);
  } catch (error) {
    // The endpoints render their own errors; this is only a failure outside them (e.g. the JWKS could not be loaded).
    // Only the path: a misguided client may put credentials in the query string.
    const { requestId } = requestMeta(request.headers);
    logger.error({ err: error, requestId, path: req.url?.split('?')[0] }, 'token service fast path failed');
    reply = {
      status: 500,
      headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', 'X-Request-Id': requestId },
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
