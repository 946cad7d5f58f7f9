import { describe, expect, it } from 'vitest';
import { checkTotp, currentTotpCode, newTotpSecret, totpUri } from './totp';

describe('totp', () => {
  const secret = newTotpSecret();
  const now = Date.UTC(2026, 10, 27, 12, 0, 0);

  it('accepts the current code and a neighbour step, once', () => {
    const code = currentTotpCode(secret, now);
    const step = checkTotp(secret, code, null, now);
    expect(step).toBe(BigInt(now / 30_000));
    expect(checkTotp(secret, code, step, now)).toBeNull();
    expect(checkTotp(secret, currentTotpCode(secret, now - 30_000), null, now)).toBe(BigInt(now / 30_000 - 1));
  });

  it('rejects stale, malformed and foreign codes', () => {
    expect(checkTotp(secret, currentTotpCode(secret, now - 120_000), null, now)).toBeNull();
    expect(checkTotp(secret, '12345', null, now)).toBeNull();
    expect(checkTotp(secret, 'abcdef', null, now)).toBeNull();
    expect(checkTotp(newTotpSecret(), currentTotpCode(secret, now), null, now)).toBeNull();
  });

  it('builds an otpauth URI naming Latchkey and the account', () => {
    const uri = totpUri(secret, 'ada@example.com');
    expect(uri).toMatch(/^otpauth:\/\/totp\/Latchkey:ada%40example\.com\?/);
    expect(uri).toContain(`secret=${secret}`);
  });
});
