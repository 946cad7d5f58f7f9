import { parseMasterKeys } from './crypto/master-keys';
import { env, resetEnvCache } from './env';

/**
 * startupEnvProblem returns why Latchkey cannot start with this environment (every invalid or
 * missing variable, LATCHKEY_MASTER_KEYS included, and master keys that are not 32 bytes or
 * repeat a version), or null when it can. Checked at start so that a server without its master
 * key fails at once with a clear message instead of at the first OEM secret it touches.
 */
export function startupEnvProblem(): string | null {
  resetEnvCache();
  try {
    parseMasterKeys(env().LATCHKEY_MASTER_KEYS);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** assertStartupEnv prints the problem and exits with status 1 when the environment is unusable. */
export function assertStartupEnv(): void {
  const problem = startupEnvProblem();
  if (!problem) return;
  console.error(
    `Latchkey cannot start.\n${problem}\n` +
      '`npm start` generates local values into .data/secrets.json for a local install; in production set them in the environment.',
  );
  process.exit(1);
}
