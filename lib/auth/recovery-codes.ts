import 'server-only';
import { randomInt } from 'node:crypto';
import { keyedHash, keyedHashCandidates } from '@/lib/crypto/keyed-hash';
import { db, type Tx } from '@/lib/db/client';

/** How many recovery codes a member gets at a time. */
export const RECOVERY_CODE_COUNT = 10;

// Crockford base32 without look-alikes: 10 characters are 50 bits, far beyond guessing under the
// sign-in rate limits, and short enough to type from paper.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const RECOVERY_CODE = /^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/;

/** normalizeRecoveryCode upper-cases a typed code and puts the dash back; null if it cannot be one. */
export function normalizeRecoveryCode(input: string): string | null {
  const compact = input.replace(/[\s-]+/g, '').toUpperCase();
  if (compact.length !== 10) return null;
  const code = `${compact.slice(0, 5)}-${compact.slice(5)}`;
  return RECOVERY_CODE.test(code) ? code : null;
}

function newCode(): string {
  let s = '';
  for (let i = 0; i < 10; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return `${s.slice(0, 5)}-${s.slice(5)}`;
}

/**
 * replaceRecoveryCodes gives a user a fresh set of recovery codes inside the caller's
 * transaction, invalidating any earlier set, and returns them: the only time they exist in
 * clear. Only their keyed hashes are stored.
 */
export async function replaceRecoveryCodes(tx: Tx, userId: string, now = new Date()): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newCode);
  const hashed = codes.map((c) => keyedHash(c));
  await tx.user.update({
    where: { id: userId },
    data: {
      recoveryCodeHashes: hashed.map((h) => new Uint8Array(h.hash)),
      recoveryCodesKeyVersion: hashed[0]?.keyVersion ?? null,
      recoveryCodesGeneratedAt: now,
    },
  });
  return codes;
}

/** clearRecoveryCodes forgets a user's recovery codes (the second factor was turned off). */
export async function clearRecoveryCodes(tx: Tx, userId: string): Promise<void> {
  await tx.user.update({
    where: { id: userId },
    data: { recoveryCodeHashes: [], recoveryCodesKeyVersion: null, recoveryCodesGeneratedAt: null },
  });
}

/**
 * consumeRecoveryCode spends one of a user's recovery codes: its hash is removed by a single
 * conditional UPDATE, so a code works once even when two sign-ins race with it. Returns how
 * many codes are left, or null when the code is not one of the user's unused codes.
 */
export async function consumeRecoveryCode(userId: string, input: string): Promise<number | null> {
  const code = normalizeRecoveryCode(input);
  if (!code) return null;
  for (const { hash } of keyedHashCandidates(code)) {
    const rows = await db.$queryRaw<Array<{ left: number }>>`
      UPDATE users SET recovery_code_hashes = array_remove(recovery_code_hashes, ${new Uint8Array(hash)}::bytea)
      WHERE id = ${userId} AND ${new Uint8Array(hash)}::bytea = ANY(recovery_code_hashes)
      RETURNING cardinality(recovery_code_hashes) AS left`;
    if (rows[0]) return Number(rows[0].left);
  }
  return null;
}

/** recoveryCodesLeft is how many unused recovery codes a user has. */
export async function recoveryCodesLeft(userId: string): Promise<number> {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { recoveryCodeHashes: true } });
  return user.recoveryCodeHashes.length;
}
