import { describe, expect, it } from 'vitest';
import { SECRET_PREFIXES, crc32, generateSecret, isWellFormedSecret, secretHint } from './secret-format';

describe('secret format', () => {
  it('computes the standard CRC-32', () => {
    expect(crc32('123456789')).toBe(0xcbf43926);
  });

  it('generates distinct, well-formed secrets of every kind', () => {
    for (const kind of Object.keys(SECRET_PREFIXES) as Array<keyof typeof SECRET_PREFIXES>) {
      const a = generateSecret(kind);
      const b = generateSecret(kind);
      expect(a).not.toBe(b);
      expect(a.startsWith(`${SECRET_PREFIXES[kind]}_`)).toBe(true);
      expect(isWellFormedSecret(kind, a)).toBe(true);
    }
  });

  it('rejects a mistyped character, a wrong prefix and a wrong length', () => {
    const secret = generateSecret('clientSecret');
    const i = secret.length - 10;
    const typo = secret.slice(0, i) + (secret[i] === 'a' ? 'b' : 'a') + secret.slice(i + 1);
    expect(isWellFormedSecret('clientSecret', typo)).toBe(false);
    expect(isWellFormedSecret('serverToken', secret)).toBe(false);
    expect(isWellFormedSecret('clientSecret', `${secret}x`)).toBe(false);
  });

  it('hints without revealing the secret', () => {
    const secret = generateSecret('clientSecret');
    const hint = secretHint(secret);
    expect(hint.startsWith('lk_sec_…')).toBe(true);
    expect(hint.endsWith(secret.slice(-4))).toBe(true);
    expect(hint.length).toBeLessThan(16);
  });
});
