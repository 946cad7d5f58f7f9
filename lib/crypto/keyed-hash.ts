import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { currentMasterKey, masterKey, masterKeys } from './master-keys';

const derived = new Map<string, Buffer>();

function hashKey(version: number): Buffer {
  const master = masterKey(version).key;
  const id = `${version}:${master.toString('base64')}`;
  let key = derived.get(id);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'latchkey/keyed-hash/v1', 32));
    derived.set(id, key);
  }
  return key;
}

/**
 * keyedHash is HMAC-SHA-256 of a secret under a key derived from the current master key. A
 * stolen database alone does not allow offline guessing; the version says which key was used.
 */
export function keyedHash(secret: string): { hash: Buffer; keyVersion: number } {
  const { version } = currentMasterKey();
  return { hash: createHmac('sha256', hashKey(version)).update(secret, 'utf8').digest(), keyVersion: version };
}

/** keyedHashCandidates hashes a presented secret under every configured key version, for lookup. */
export function keyedHashCandidates(secret: string): Array<{ hash: Buffer; keyVersion: number }> {
  return masterKeys().map(({ version }) => ({
    hash: createHmac('sha256', hashKey(version)).update(secret, 'utf8').digest(),
    keyVersion: version,
  }));
}

/** keyedHashEquals compares a presented secret with a stored hash in constant time. */
export function keyedHashEquals(secret: string, stored: Uint8Array, keyVersion: number): boolean {
  const expected = Buffer.from(stored);
  const actual = createHmac('sha256', hashKey(keyVersion)).update(secret, 'utf8').digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
