import { env } from '@/lib/env';

export type MasterKey = { version: number; key: Buffer };

let cached: { raw: string; keys: MasterKey[] } | undefined;

/** parseMasterKeys reads "2:<base64>,1:<base64>" (newest first) into 32-byte keys. */
export function parseMasterKeys(raw: string): MasterKey[] {
  const keys = raw.split(',').map((entry) => {
    const [version, encoded] = entry.split(':', 2) as [string, string];
    const key = Buffer.from(encoded.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (key.length !== 32) throw new Error(`LATCHKEY_MASTER_KEYS: key version ${version} is not 32 bytes`);
    return { version: Number(version), key };
  });
  if (new Set(keys.map((k) => k.version)).size !== keys.length)
    throw new Error('LATCHKEY_MASTER_KEYS: duplicate key version');
  return keys;
}

/** masterKeys returns the configured keys, newest (the one used for new writes) first. */
export function masterKeys(): MasterKey[] {
  const raw = env().LATCHKEY_MASTER_KEYS;
  if (cached?.raw !== raw) cached = { raw, keys: parseMasterKeys(raw) };
  return cached.keys;
}

export function currentMasterKey(): MasterKey {
  const [current] = masterKeys();
  if (!current) throw new Error('LATCHKEY_MASTER_KEYS is empty');
  return current;
}

export function masterKey(version: number): MasterKey {
  const key = masterKeys().find((k) => k.version === version);
  if (!key) throw new Error(`Master key version ${version} is not configured (LATCHKEY_MASTER_KEYS)`);
  return key;
}
