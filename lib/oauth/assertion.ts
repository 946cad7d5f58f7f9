import 'server-only';
import { decodeJwt, decodeProtectedHeader, importJWK, jwtVerify, type CryptoKey, type JWTPayload } from 'jose';
import { z } from 'zod';
import { db } from '@/lib/db/client';
import type { ErrorCode } from '@/lib/errors';
import { hotQuery } from './hot-db';
import { findKeyPair, type Principal } from './principals';
import { refuse, TokenRefusal } from './refusal';

/** How far `iat` may be from our clock (RFC 7523 assertions are minted right before use). */
export const IAT_TOLERANCE_SECONDS = 30;
/** The furthest in the future `exp` may be: assertions are single-use and short-lived. */
export const MAX_ASSERTION_LIFETIME_SECONDS = 300;

const KEY_ID = /^kp_[0-9A-HJKMNP-TV-Z]{26}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ANY_JTI = /^[A-Za-z0-9._~:+/=-]{8,128}$/;
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export type AssertionOptions = {
  /** Accepted `aud` values; the assertion's `aud` must contain one of them exactly. */
  audiences: string[];
  /** RFC 7523 §3 requires `exp`; the High Mobility flow does not send one. */
  requireExp: boolean;
  /** Extra claims that must be present (e.g. High Mobility's `ver`). */
  requiredClaims?: string[];
  /** The RFC 6749 error for a bad assertion: invalid_grant (grant) or invalid_client (client auth). */
  errorCode: ErrorCode;
  now?: number;
  /** RFC 7523 grants here need a UUID `jti`; client assertions from OAuth libraries use other random strings. */
  anyJti?: boolean;
  /** Called as soon as the key pair is known, so that a refusal is audited in its organization. */
  onPrincipal?: (principal: Principal) => void;
};

export type VerifiedAssertion = { principal: Principal; claims: JWTPayload };

const publicJwkSchema = z.object({ kty: z.literal('EC'), crv: z.literal('P-256'), x: z.string(), y: z.string() });
const keyCache = new Map<string, CryptoKey>();

async function publicKey(principal: Principal): Promise<CryptoKey> {
  const jwk = publicJwkSchema.parse(principal.publicKeyJwk);
  const cacheKey = `${principal.credentialId}:${jwk.x}:${jwk.y}`;
  let key = keyCache.get(cacheKey);
  if (!key) {
    key = (await importJWK({ ...jwk }, 'ES256')) as CryptoKey;
    if (keyCache.size > 5_000) keyCache.clear();
    keyCache.set(cacheKey, key);
  }
  return key;
}

/**
 * verifyAssertion checks a JWT assertion signed with a service account's key pair: ES256 only,
 * `iss` = a key id (and `sub`, when present, the same), `aud` one of the accepted values
 * exactly, `iat` within 30 s of now, `exp` (when present or required) in the future and at
 * most 5 minutes away, `jti` a UUID. Then it records (`iss`, `jti`) in used_assertions; the
 * primary key makes a second use fail on every instance, even for parallel requests.
 * Credential and account state are the caller's to check. Throws TokenRefusal.
 */
export async function verifyAssertion(assertion: string, options: AssertionOptions): Promise<VerifiedAssertion> {
  const code = options.errorCode;
  if (assertion.length > 8192 || !JWT_SHAPE.test(assertion))
    refuse(code, 'assertion_malformed', 'The assertion is not a JWT.');
  let iss: unknown;
  try {
    const header = decodeProtectedHeader(assertion);
    if (header.alg !== 'ES256') refuse(code, 'assertion_alg', 'Assertions must be signed with ES256.');
    iss = decodeJwt(assertion).iss;
  } catch (error) {
    if (error instanceof TokenRefusal) throw error;
    refuse(code, 'assertion_malformed', 'The assertion is not a JWT.');
  }
  if (typeof iss !== 'string' || !KEY_ID.test(iss))
    refuse(code, 'unknown_key', 'The assertion issuer is not a known key id.');
  const principal = await findKeyPair(iss);
  if (!principal) refuse(code, 'unknown_key', 'The assertion issuer is not a known key id.');
  options.onPrincipal?.(principal);

  const now = options.now ?? Date.now();
  let claims: JWTPayload;
  try {
    ({ payload: claims } = await jwtVerify(assertion, await publicKey(principal), {
      algorithms: ['ES256'],
      issuer: iss,
      audience: options.audiences,
      requiredClaims: ['iat', 'jti', ...(options.requireExp ? ['exp'] : []), ...(options.requiredClaims ?? [])],
      currentDate: new Date(now),
      clockTolerance: 0,
    }));
  } catch (error) {
    const jwtCode = (error as { code?: string }).code;
    if (jwtCode === 'ERR_JWT_EXPIRED') refuse(code, 'assertion_expired', 'The assertion has expired.');
    if (jwtCode === 'ERR_JWT_CLAIM_VALIDATION_FAILED') {
      const claim = (error as { claim?: string }).claim ?? 'a claim';
      refuse(code, `assertion_claim_${claim}`, `The assertion's "${claim}" claim is missing or wrong.`);
    }
    refuse(code, 'assertion_signature', 'The assertion signature does not verify with this key.');
  }
  const nowSeconds = Math.floor(now / 1000);
  if (claims.sub !== undefined && claims.sub !== iss)
    refuse(code, 'assertion_claim_sub', 'The assertion "sub" must equal its "iss" (the key id).');
  if (typeof claims.iat !== 'number' || Math.abs(nowSeconds - claims.iat) > IAT_TOLERANCE_SECONDS) {
    refuse(
      code,
      'assertion_claim_iat',
      `The assertion "iat" must be within ${IAT_TOLERANCE_SECONDS} seconds of the server time.`,
    );
  }
  if (claims.exp !== undefined && claims.exp > nowSeconds + MAX_ASSERTION_LIFETIME_SECONDS) {
    refuse(
      code,
      'assertion_claim_exp',
      `The assertion "exp" may be at most ${MAX_ASSERTION_LIFETIME_SECONDS} seconds away.`,
    );
  }
  const jtiOk = typeof claims.jti === 'string' && (options.anyJti ? ANY_JTI.test(claims.jti) : UUID.test(claims.jti));
  if (!jtiOk || typeof claims.jti !== 'string')
    refuse(
      code,
      'assertion_claim_jti',
      options.anyJti ? 'The assertion "jti" is missing or malformed.' : 'The assertion "jti" must be a UUID.',
    );

  // Keep the jti until the assertion could no longer pass the iat/exp checks anyway.
  const keepUntil = new Date(1000 * Math.max(claims.exp ?? 0, claims.iat + IAT_TOLERANCE_SECONDS) + 60_000);
  const { rowCount } = await hotQuery(
    'INSERT INTO used_assertions (issuer, jti, expires_at) VALUES ($1, $2, $3) ON CONFLICT (issuer, jti) DO NOTHING',
    [iss, claims.jti, keepUntil],
  );
  if (rowCount !== 1)
    refuse(code, 'jti_replayed', 'This assertion has been used already: every assertion needs a fresh "jti".');
  return { principal, claims };
}

/** purgeUsedAssertions deletes replay guards that have outlived their assertions. */
export async function purgeUsedAssertions(now = new Date()): Promise<number> {
  return db.$executeRaw`DELETE FROM used_assertions WHERE expires_at < ${now}`;
}
