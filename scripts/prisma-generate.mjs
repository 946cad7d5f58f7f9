// Runs `prisma generate` after every install.
// Prisma's CLI tries to download its native schema engine unless told where one is; `generate`
// never uses it (the client talks to PostgreSQL through @prisma/adapter-pg), so point it at an
// existing file and keep installs working offline and in air-gapped networks.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const env = { ...process.env };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY)
  env.PRISMA_SCHEMA_ENGINE_BINARY = existsSync('/bin/false') ? '/bin/false' : process.execPath;
env.PRISMA_HIDE_UPDATE_MESSAGE = '1';
const result = spawnSync('npx', ['--no-install', 'prisma', 'generate'], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
