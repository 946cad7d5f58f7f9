// The Latchkey HTTP server: Next.js behind a plain Node server that records each connection's
// real peer address (see lib/http/client-ip.ts) before Next sees the request.
// Run by `npm start` and by the end-to-end tests; reads DATABASE_URL, PORT, HOSTNAME. It also
// runs the job workers (lib/jobs/start-jobs.ts) unless LATCHKEY_JOBS=off.
//
// Fast path (production only): the token service's routes (POST /api/oauth/token, /introspect,
// /revoke; GET /.well-known/jwks.json, /oauth-authorization-server and /openid-configuration; the
// vendor flows under /compat/*) are answered here by the same lib functions the Next route
// handlers call (lib/oauth/node-mount.ts), skipping the Next.js request pipeline, which costs
// more than the token service itself. This process then holds two copies of lib/ (this one and
// Next's bundle): they share no state (lib/process-state.ts), and the token service runs in this one. `next dev`
// (--dev) keeps everything in Next, so edits reload; LATCHKEY_FAST_PATH=off does the same in
// production (used by `npm run bench -- --via-next` to compare).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { register } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import next from 'next';
import { PEER_IP_HEADER } from '../lib/http/client-ip';
import { appOrigin, isSameOriginRequest } from '../lib/http/same-origin';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dev = process.argv.includes('--dev');
const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOSTNAME_BIND ?? '0.0.0.0';
const fastPath = !dev && process.env.LATCHKEY_FAST_PATH !== 'off';

// A server without its master keys (or with malformed ones) stops here with a clear message,
// rather than failing at the first secret it has to seal or open.
(await import('../lib/env-check')).assertStartupEnv();

const app = next({ dev, dir: root, port, hostname: 'localhost' });
const handle = app.getRequestHandler();
await app.prepare();

type NodeMount = typeof import('../lib/oauth/node-mount');
let mount: NodeMount | undefined;
let extraHeaders: Record<string, string> = {};
{
  // The lib modules `import 'server-only'`, whose default export throws: that package resolves to
  // its empty module only under the `react-server` export condition, which Next's bundler sets
  // for server code. This process runs under tsx without it, and running the whole process with
  // --conditions=react-server is not an option: it would also switch react, react-dom and Next's
  // own imports to their server-component builds. So this resolve hook adds the condition for
  // the `server-only` specifier alone (everything in this process is server code anyway), and it
  // is registered before the fast-path modules are imported, after Next has loaded.
  const hook = `export async function resolve(specifier, context, nextResolve) {
    if (specifier === 'server-only') return nextResolve(specifier, { ...context, conditions: [...context.conditions, 'react-server'] });
    return nextResolve(specifier, context);
  }`;
  register(`data:text/javascript,${encodeURIComponent(hook)}`, pathToFileURL(`${root}/`));
}

// The job workers (lib/jobs: webhook deliveries, e-mail, the expiry scan) run in this copy of
// lib/, once per process, never in Next's bundle (which only writes events to the outbox).
// LATCHKEY_JOBS=off leaves them to other instances.
// The flag makes this copy of lib/ keep its state apart from Next's in development as well
// (lib/process-state.ts); it is set only while this copy's modules are first evaluated.
const flags = globalThis as { __latchkeyOwnCopy?: boolean };
flags.__latchkeyOwnCopy = true;
const jobs = (await import('../lib/jobs/start-jobs')) as typeof import('../lib/jobs/start-jobs');
if (fastPath) mount = (await import('../lib/oauth/node-mount')) as NodeMount;
delete flags.__latchkeyOwnCopy;
await jobs.startJobs();

if (fastPath) {
  // The headers next.config.mjs adds to every response, so that both mounts answer alike. Only
  // the catch-all source is supported: a rule that could cover a fast-path route stops the start
  // rather than be silently skipped; rules for other paths are Next's alone.
  const config = (await import(pathToFileURL(path.join(root, 'next.config.mjs')).href)) as {
    default: { headers?: () => Promise<Array<{ source: string; headers: Array<{ key: string; value: string }> }>> };
  };
  for (const rule of (await config.default.headers?.()) ?? []) {
    if (rule.source !== '/:path*') {
      if (/^\/(:|\(|api|\.well-known)/.test(rule.source))
        throw new Error(
          `scripts/server.ts: the fast path cannot apply the next.config.mjs headers rule for ${rule.source}`,
        );
      continue;
    }
    for (const { key, value } of rule.headers) extraHeaders = { ...extraHeaders, [key]: value };
  }
}

const consoleOrigin = appOrigin(process.env.NEXTAUTH_URL);

/**
 * isServerAction tells whether Next would run a server action for this request: a POST with a
 * Next-Action header (the JavaScript client), or a form post to a page (a form that works
 * without JavaScript carries the action id in its fields). /api and /compat are route handlers.
 */
function isServerAction(req: IncomingMessage): boolean {
  if (req.method !== 'POST') return false;
  if (req.headers['next-action'] !== undefined) return true;
  const pathname = (req.url ?? '/').split('?')[0] ?? '/';
  if (/^\/(api|compat)(\/|$)/.test(pathname)) return false;
  return /^(multipart\/form-data|application\/x-www-form-urlencoded)\b/i.test(req.headers['content-type'] ?? '');
}

/**
 * answerProblem answers an RFC 9457 problem before anything else read the request. The body was
 * not read: the connection is closed after the answer, rather than left with unread bytes for
 * the next request on it.
 */
function answerProblem(
  res: ServerResponse,
  status: number,
  code: string,
  detail: string,
  headers: Record<string, string> = {},
): void {
  const title = code.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
  const body = JSON.stringify({ type: `urn:latchkey:problem:${code}`, title, status, code, detail });
  res.writeHead(status, {
    ...extraHeaders,
    ...headers,
    'Content-Type': 'application/problem+json',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    Connection: 'close',
  });
  res.end(body);
}

/** The longest request target served; longer ones are 414 (RFC 9110 §15.5.15). */
const MAX_URL_LENGTH = 8 * 1024;
/** The request line and headers together may be this large (Node's default, 16 KB, answered 431 for a long URL). */
const MAX_HEADER_BYTES = 64 * 1024;
/** Next's server-action body limit (its default, 1 MB); a larger body is refused here with 413. */
const MAX_SERVER_ACTION_BYTES = 1024 * 1024;
/** Methods no route of Latchkey has; TRACE would echo the request (cross-site tracing). */
const NEVER_ALLOWED = new Set(['TRACE', 'TRACK']);
const SERVED_METHODS = 'DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT';

/**
 * refusedAtTheDoor answers what no handler should see: a method no route has (405 with Allow,
 * not Next's 500), a request target over MAX_URL_LENGTH (414), a server action whose body is over
 * the limit (413; 411 when it gives no length). Returns true when it answered.
 */
function refusedAtTheDoor(req: IncomingMessage, res: ServerResponse): boolean {
  if (NEVER_ALLOWED.has(req.method ?? '')) {
    answerProblem(res, 405, 'method_not_allowed', `${req.method} is not supported.`, { Allow: SERVED_METHODS });
    return true;
  }
  if ((req.url ?? '').length > MAX_URL_LENGTH) {
    answerProblem(res, 414, 'uri_too_long', `The request target is longer than ${MAX_URL_LENGTH} characters.`);
    return true;
  }
  if (isServerAction(req)) {
    const length = req.headers['content-length'];
    if (length === undefined && req.headers['transfer-encoding'] !== undefined) {
      answerProblem(res, 411, 'length_required', 'Send the form with a Content-Length.');
      return true;
    }
    if (length !== undefined && Number(length) > MAX_SERVER_ACTION_BYTES) {
      answerProblem(res, 413, 'payload_too_large', 'The form is larger than 1 MB.');
      return true;
    }
  }
  return false;
}

function nextListener(req: IncomingMessage, res: ServerResponse) {
  // Overwrite whatever a client sent under this name: only the socket tells the truth.
  req.headers[PEER_IP_HEADER] = req.socket.remoteAddress ?? '';
  // CSRF: a server action from another origin (or with no Origin and no Sec-Fetch-Site:
  // same-origin) is refused here with a 403, before Next reads its body or runs anything
  // (Next itself would answer some of them 500 and run others). lib/actions/define-action.ts
  // applies the same rule inside every action, for `next dev` and any other way of serving.
  if (isServerAction(req) && !isSameOriginRequest((name) => headerValue(req, name), consoleOrigin)) {
    answerProblem(
      res,
      403,
      'csrf_rejected',
      'This change was not sent from a Latchkey page: reload the page and try again.',
    );
    return;
  }
  void handle(req, res);
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

const listener = mount ? mount.oauthListener(nextListener, extraHeaders) : nextListener;
const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (req, res) => {
  if (!refusedAtTheDoor(req, res)) listener(req, res);
});
server.keepAliveTimeout = 65_000;

server.listen(port, hostname, () => {
  console.log(
    `Latchkey is listening on http://localhost:${port}${dev ? ' (development)' : ''}${fastPath ? '' : ' (token service fast path off)'}`,
  );
});

let closing = false;
function shutdown() {
  if (closing) process.exit(1);
  closing = true;
  server.close(() => void jobs.stopJobs().finally(() => process.exit(0)));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 5_000).unref();
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
