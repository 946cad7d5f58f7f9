import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { accessTokenHash } from '@/lib/oauth/dpop';

/**
 * A DPoP client's key and proofs (RFC 9449 §4.2), built with jose as a client library would:
 * tests change one field at a time to see each rule refuse it.
 */
export type DpopKey = { alg: string; privateKey: CryptoKey; publicJwk: JWK };

export async function dpopKey(alg = 'ES256'): Promise<DpopKey> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  return { alg, privateKey, publicJwk: await exportJWK(publicKey) };
}

export type ProofOptions = {
  htm?: string;
  htu: string;
  /** Seconds since the epoch; now unless given. */
  iat?: number;
  jti?: string | null;
  accessToken?: string;
  nonce?: string;
  typ?: string | null;
  alg?: string;
  /** The jwk header; the key's public JWK unless given (null: none). */
  jwk?: JWK | null;
  /** Signs with this key instead of the one in the header. */
  signWith?: CryptoKey;
  claims?: Record<string, unknown>;
};

export async function dpopProof(key: DpopKey, options: ProofOptions): Promise<string> {
  const payload: Record<string, unknown> = {
    htm: options.htm ?? 'POST',
    htu: options.htu,
    iat: options.iat ?? Math.floor(Date.now() / 1000),
    ...(options.jti === null ? {} : { jti: options.jti ?? randomUUID() }),
    ...(options.accessToken ? { ath: accessTokenHash(options.accessToken) } : {}),
    ...(options.nonce ? { nonce: options.nonce } : {}),
    ...options.claims,
  };
  const header: Record<string, unknown> = { alg: options.alg ?? key.alg };
  if (options.typ !== null) header.typ = options.typ ?? 'dpop+jwt';
  if (options.jwk !== null) header.jwk = options.jwk ?? key.publicJwk;
  return new SignJWT(payload).setProtectedHeader(header as { alg: string }).sign(options.signWith ?? key.privateKey);
}
