// The Latchkey HTTP server: Next.js behind a plain Node server that records each connection's
// real peer address (see lib/http/client-ip.ts) before Next sees the request.
// Run by `npm start` and by the end-to-end tests; reads DATABASE_URL, PORT, HOSTNAME.
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import next from 'next';
import { PEER_IP_HEADER } from '../lib/http/client-ip';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dev = process.argv.includes('--dev');
const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOSTNAME_BIND ?? '0.0.0.0';

const app = next({ dev, dir: root, port, hostname: 'localhost' });
const handle = app.getRequestHandler();
await app.prepare();

const server = createServer((req, res) => {
  // Overwrite whatever a client sent under this name: only the socket tells the truth.
  req.headers[PEER_IP_HEADER] = req.socket.remoteAddress ?? '';
  void handle(req, res);
});
server.keepAliveTimeout = 65_000;

server.listen(port, hostname, () => {
  console.log(`Latchkey is listening on http://localhost:${port}${dev ? ' (development)' : ''}`);
});

let closing = false;
function shutdown() {
  if (closing) process.exit(1);
  closing = true;
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 5_000).unref();
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
