import { Secret, TOTP } from 'otpauth';

const PERIOD_SECONDS = 30;
const ISSUER = 'Latchkey';

/** newTotpSecret returns a new 160-bit TOTP secret, base32-encoded as authenticator apps expect. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** totpUri is the otpauth:// URI an authenticator app scans. */
export function totpUri(secret: string, accountName: string): string {
  return new TOTP({
    issuer: ISSUER,
    label: accountName,
    secret: Secret.fromBase32(secret),
    period: PERIOD_SECONDS,
  }).toString();
}

/** currentTotpCode is the code for `secret` at `timestamp` (for tests and enrollment checks). */
export function currentTotpCode(secret: string, timestamp = Date.now()): string {
  return TOTP.generate({ secret: Secret.fromBase32(secret), period: PERIOD_SECONDS, timestamp });
}

/**
 * checkTotp accepts a 6-digit code for the current time step or one step either side (clock
 * drift), but only for a step later than `lastStep`, so a code that was seen (shoulder-surfed,
 * phished, replayed) cannot be used again. Returns the accepted step, or null.
 */
export function checkTotp(
  secret: string,
  code: string,
  lastStep: bigint | null,
  timestamp = Date.now(),
): bigint | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = TOTP.validate({
    token: code,
    secret: Secret.fromBase32(secret),
    period: PERIOD_SECONDS,
    timestamp,
    window: 1,
  });
  if (delta === null) return null;
  const step = BigInt(Math.floor(timestamp / 1000 / PERIOD_SECONDS) + delta);
  return lastStep !== null && step <= lastStep ? null : step;
}
