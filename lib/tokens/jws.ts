import { sign, type KeyObject } from 'node:crypto';

/**
 * signEs256 returns the JWS Compact Serialization (RFC 7515 §7.1) of `payload` under an ES256
 * signature (RFC 7518 §3.4: ECDSA P-256 with SHA-256, the signature as the 64-byte R || S).
 *
 * Why not jose's SignJWT: jose 6 signs through WebCrypto, and every WebCrypto signature is an
 * asynchronous job on libuv's thread pool; on the token endpoint that hop costed about three
 * times the signature itself (npm run bench: ~160 µs against ~55 µs per token on 2 cores).
 * node:crypto's one-shot sign is the same OpenSSL primitive, called synchronously. Tokens are
 * still verified with jose (lib/tokens/access-token.ts), and the unit tests check every signed
 * token with jose, so the two can't drift apart.
 */
export function signEs256(header: Record<string, unknown>, payload: Record<string, unknown>, key: KeyObject): string {
  if (
    key.type !== 'private' ||
    key.asymmetricKeyType !== 'ec' ||
    key.asymmetricKeyDetails?.namedCurve !== 'prime256v1'
  ) {
    throw new Error('ES256 needs a P-256 private key');
  }
  const signingInput = `${encode({ ...header, alg: 'ES256' })}.${encode(payload)}`;
  const signature = sign('sha256', Buffer.from(signingInput), { key, dsaEncoding: 'ieee-p1363' });
  return `${signingInput}.${signature.toString('base64url')}`;
}

function encode(value: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}
