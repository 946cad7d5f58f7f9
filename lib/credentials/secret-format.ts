import { randomBytes } from 'node:crypto';

/**
 * Latchkey's secrets have a recognizable shape so that secret scanners can find leaked ones:
 * `<prefix>_<43 base62 chars: 256 random bits><6 base62 chars: CRC-32 of what precedes>`.
 * The checksum lets Latchkey (and scanners) reject a mistyped or made-up value without a
 * database lookup. The prefix tells what the secret is.
 */
export const SECRET_PREFIXES = {
  clientSecret: 'lk_sec',
  clientToken: 'lk_pub',
  serverToken: 'lk_srv',
  refreshToken: 'lk_rt',
} as const;

export type SecretKind = keyof typeof SECRET_PREFIXES;

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BODY_LENGTH = 43; // ceil(256 / log2(62))
const CHECKSUM_LENGTH = 6; // ceil(32 / log2(62))

function toBase62(value: bigint, length: number): string {
  let out = '';
  let v = value;
  while (v > 0n) {
    out = ALPHABET[Number(v % 62n)] + out;
    v /= 62n;
  }
  return out.padStart(length, '0');
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** crc32 is the standard CRC-32 (IEEE 802.3), as GitHub's token checksums use. */
export function crc32(text: string): number {
  let crc = 0xffffffff;
  for (const byte of Buffer.from(text, 'utf8')) crc = (CRC_TABLE[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function checksum(text: string): string {
  return toBase62(BigInt(crc32(text)), CHECKSUM_LENGTH);
}

/** generateSecret returns a new secret of the given kind: 256 bits of randomness plus checksum. */
export function generateSecret(kind: SecretKind): string {
  const body = toBase62(BigInt(`0x${randomBytes(32).toString('hex')}`), BODY_LENGTH);
  const head = `${SECRET_PREFIXES[kind]}_${body}`;
  return `${head}${checksum(head)}`;
}

/** isWellFormedSecret checks prefix, length, alphabet and checksum (no database needed). */
export function isWellFormedSecret(kind: SecretKind, value: string): boolean {
  const prefix = `${SECRET_PREFIXES[kind]}_`;
  if (value.length !== prefix.length + BODY_LENGTH + CHECKSUM_LENGTH || !value.startsWith(prefix)) return false;
  const rest = value.slice(prefix.length);
  if (!/^[0-9A-Za-z]+$/.test(rest)) return false;
  const head = value.slice(0, value.length - CHECKSUM_LENGTH);
  return checksum(head) === value.slice(-CHECKSUM_LENGTH);
}

/** secretHint is what the console may show of a secret after creation: prefix and last 4. */
export function secretHint(value: string): string {
  const underscore = value.lastIndexOf('_');
  return `${value.slice(0, underscore + 1)}…${value.slice(-4)}`;
}
