/**
 * isDatabaseUnavailable tells whether an error means "the database cannot be reached or is not
 * taking work right now" (an outage, a restart, a failover, a full connection pool), as opposed
 * to an error in what was asked. Such a failure is temporary: every surface answers it 503 with
 * Retry-After (lib/errors.ts toAppError), fails closed (nothing is issued or changed), and the
 * pools reconnect on their own once the database is back.
 *
 * It looks through the error and its causes, whoever threw it: node-postgres and Node's socket
 * errors (ECONNREFUSED, ECONNRESET…, "Connection terminated…"), PostgreSQL's SQLSTATE classes 08
 * (connection exception) and 57P0x (shutdown, cannot connect now), 53300 (too many connections),
 * Prisma's P1001/P1002/P1008/P1017/P2024 and a transaction that found no free connection in
 * time (a full pool), and @prisma/adapter-pg's DriverAdapterError kinds.
 */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
const ADAPTER_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
  'DatabaseUnavailable',
]);
const MESSAGES =
  /Unable to start a transaction in the given time|Connection terminated|Can't reach database server|timeout exceeded when trying to connect|Client has encountered a connection error|connection (is )?(closed|terminated)|Server has closed the connection|the database system is (shutting down|starting up)|Connection refused/i;

export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (typeof current === 'object' && current !== null && !seen.has(current)) {
    seen.add(current);
    const e = current as {
      code?: unknown;
      kind?: unknown;
      originalCode?: unknown;
      message?: unknown;
      cause?: unknown;
      errors?: unknown;
    };
    const code = typeof e.code === 'string' ? e.code : typeof e.originalCode === 'string' ? e.originalCode : '';
    if (SOCKET_CODES.has(code) || SQLSTATES.has(code) || PRISMA_CODES.has(code) || code.startsWith('08')) return true;
    if (typeof e.kind === 'string' && ADAPTER_KINDS.has(e.kind)) return true;
    if (typeof e.message === 'string' && MESSAGES.test(e.message)) return true;
    // An AggregateError (a connection attempt to every address of a host) holds its causes here.
    if (Array.isArray(e.errors) && e.errors.some((inner) => isDatabaseUnavailable(inner))) return true;
    const meta = (current as { meta?: { driverAdapterError?: unknown } }).meta;
    current = e.cause ?? meta?.driverAdapterError;
  }
  return false;
}
