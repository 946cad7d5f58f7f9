import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { resetEnvCache } from '@/lib/env';
import { keyedHash, keyedHashCandidates, keyedHashEquals } from './keyed-hash';
import { parseMasterKeys } from './master-keys';
import { open, seal, sealedKeyVersion } from './secret-box';

const k = () => randomBytes(32).toString('base64');
const original = process.env.LATCHKEY_MASTER_KEYS;
function useKeys(keys: string) {
  process.env.LATCHKEY_MASTER_KEYS = keys;
  resetEnvCache();
}
afterEach(() => useKeys(original ?? ''));

describe('secret box', () => {
  it('round-trips and binds the context', () => {
    const { sealed, keyVersion } = seal('client-secret-value', 'oem_credential:1');
    expect(keyVersion).toBeGreaterThan(0);
    expect(sealed.toString('utf8')).not.toContain('client-secret-value');
    expect(open(sealed, 'oem_credential:1').toString('utf8')).toBe('client-secret-value');
    expect(() => open(sealed, 'oem_credential:2')).toThrow();
  });

  it('detects tampering', () => {
    const { sealed } = seal('value', 'ctx');
    sealed[sealed.length - 1] = (sealed[sealed.length - 1] ?? 0) ^ 1;
    expect(() => open(sealed, 'ctx')).toThrow();
  });

  it('decrypts values sealed under an older key after rotation', () => {
    const v1 = k();
    useKeys(`1:${v1}`);
    const { sealed } = seal('old', 'ctx');
    useKeys(`2:${k()},1:${v1}`);
    expect(sealedKeyVersion(sealed)).toBe(1);
    expect(open(sealed, 'ctx').toString()).toBe('old');
    expect(seal('new', 'ctx').keyVersion).toBe(2);
  });
});

describe('keyed hash', () => {
  it('matches only the same secret, in constant time', () => {
    const { hash, keyVersion } = keyedHash('s3cret');
    expect(keyedHashEquals('s3cret', hash, keyVersion)).toBe(true);
    expect(keyedHashEquals('s3cres', hash, keyVersion)).toBe(false);
    expect(keyedHashCandidates('s3cret').map((c) => c.hash.toString('hex'))).toContain(hash.toString('hex'));
  });
});

describe('parseMasterKeys', () => {
  it('rejects short keys and duplicate versions', () => {
    expect(() => parseMasterKeys(`1:${randomBytes(16).toString('base64')}`)).toThrow(/32 bytes/);
    const key = k();
    expect(() => parseMasterKeys(`1:${key},1:${key}`)).toThrow(/duplicate/);
  });
});
