import 'server-only';
import {
  decodeJwt,
  decodeProtectedHeader,
  generateKeyPair,
  importJWK,
  jwtVerify,
  type CryptoKey,
  type JWTPayload,
  type ProtectedHeaderParameters,
} from 'jose';
import { z } from 'zod';
import { db } from '@/lib/db/client';
import type { ErrorCode } from '@/lib/errors';
import { hotQuery } from '@/lib/db/hot-db';
import { findKeyPair, type Principal } from '@/lib/credentials/principals';
import { refuse, TokenRefusal, uniformDetail } from './refusal';

/** How far `iat` may be from our clock (RFC 7523 assertions are minted right before use). */
export const IAT_TOLERANCE_SECONDS = 30;
/** The furthest in the future `exp` may be for a grant assertion: single-use and short-lived. */
export const MAX_ASSERTION_LIFETIME_SECONDS = 300;
/**
 * The furthest `exp` of a client assertion (private_key_jwt): Authlib's PrivateKeyJWT, a common
 * Python client, signs exp = iat + 3600. `iat` must still be within 30 s of now, and the jti is
 * kept until `exp`, so the longer lifetime opens no replay window.
 */
export const MAX_CLIENT_ASSERTION_LIFETIME_SECONDS = 3600;

const KEY_ID = /^kp_[0-9A-HJKMNP-TV-Z]{26}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export type AssertionOptions = {
  /** Accepted `aud` values: the assertion's `aud` must be a single JSON string equal to one of them. */
  audiences: string[];
  /**
   * Audiences accepted only for compatibility (private_key_jwt's token endpoint URL, while
   * LATCHKEY_LEGACY_ASSERTION_AUDIENCE=on); the result says when one was used.
   */
  legacyAudiences?: string[];
  /** RFC 7523 §3 requires `exp`; the High Mobility flow does not send one. */
  requireExp: boolean;
  /** The furthest `exp` may be from now; MAX_ASSERTION_LIFETIME_SECONDS unless given. */
  maxLifetimeSeconds?: number;
  /** Extra claims that must be present (e.g. High Mobility's `ver`). */
  requiredClaims?: string[];
  /** Claims that, when present, must be integers (High Mobility's `ver`). */
  integerClaims?: string[];
  /**
   * A client assertion (RFC 7523 §2.2, private_key_jwt): `sub` is required and equals `iss`, and
   * the `typ` header may also be `client-authentication+jwt` (RFC 10070).
   */
  clientAssertion?: boolean;
  /** The RFC 6749 error for a bad assertion: invalid_grant (grant) or invalid_client (client auth). */
  errorCode: ErrorCode;
  now?: number;
  /** Called as soon as the key pair is known, so that a refusal is audited in its organization. */
  onPrincipal?: (principal: Principal) => void;
};

export type VerifiedAssertion = {
  principal: Principal;
  claims: JWTPayload;
  /** True when `aud` matched one of `legacyAudiences` only (to be audited as deprecated). */
  legacyAudience: boolean;
};

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

let unknownKeyPromise: Promise<CryptoKey> | undefined;
/** unknownKey is a P-256 public key nobody holds the private half of, verified against when a key id is unknown. */
function unknownKey(): Promise<CryptoKey> {
  unknownKeyPromise ??= generateKeyPair('ES256').then((pair) => pair.publicKey);
  return unknownKeyPromise;
}

const GRANT_TYPS = new Set(['JWT']);
const CLIENT_TYPS = new Set(['JWT', 'client-authentication+jwt']);

/**
 * verifyAssertion checks a JWT assertion signed with a service account's key pair. Rules, each
 * refused with `options.errorCode` and a stable reason for the audit log:
 * - header: `alg` ES256 only; `kid`, when present, the key `iss` names; `typ` absent or `JWT`
 *   (client assertions also `client-authentication+jwt`): an access token (`at+jwt`) or any other
 *   typed JWT is not an assertion;
 * - `iss` a key id; `sub` the same (required for client assertions, checked when present otherwise);
 * - `aud` a single JSON string equal to an accepted value: an array is refused even when it holds
 *   ours (audience injection, RFC 10070);
 * - `iat` within 30 s of now; `exp` (when present or required) after `iat`, in the future and at
 *   most `maxLifetimeSeconds` away; `nbf`, when present, not in the future;
 * - `jti` a UUID, recorded lowercased in used_assertions (with `iss`) until the assertion could
 *   no longer pass these checks: the primary key makes a second use fail on every instance, in
 *   any letter case, even for parallel requests.
 * An unknown key and a bad signature give the same description as a disabled credential or an
 * unusable account (refusal.ts uniformDetail): nobody without the key learns whether it exists. Credential and account state
 * are the caller's to check. Throws TokenRefusal.
 */
export async function verifyAssertion(assertion: string, options: AssertionOptions): Promise<VerifiedAssertion> {
  const code = options.errorCode;
  if (assertion.length > 8192 || !JWT_SHAPE.test(assertion))
    refuse(code, 'assertion_malformed', 'The assertion is not a JWT.');
  let iss: unknown;
  let header: ProtectedHeaderParameters;
  try {
    header = decodeProtectedHeader(assertion);
    if (header.alg !== 'ES256') refuse(code, 'assertion_alg', 'Assertions must be signed with ES256.');
    iss = decodeJwt(assertion).iss;
  } catch (error) {
    if (error instanceof TokenRefusal) throw error;
    refuse(code, 'assertion_malformed', 'The assertion is not a JWT.');
  }
  if (typeof iss !== 'string' || !KEY_ID.test(iss)) refuse(code, 'unknown_key', uniformDetail(code));
  const principal = await findKeyPair(iss);
  if (!principal) {
    // The same work as a known key with a bad signature: one ES256 verification (answer ignored).
    await jwtVerify(assertion, await unknownKey(), { algorithms: ['ES256'] }).catch(() => undefined);
    refuse(code, 'unknown_key', uniformDetail(code));
  }
  options.onPrincipal?.(principal);

  const now = options.now ?? Date.now();
  let claims: JWTPayload;
  try {
    // The audience is checked below: jose accepts an array that contains an accepted value.
    ({ payload: claims } = await jwtVerify(assertion, await publicKey(principal), {
      algorithms: ['ES256'],
      issuer: iss,
      requiredClaims: ['iat', 'jti', 'aud', ...(options.requireExp ? ['exp'] : []), ...(options.requiredClaims ?? [])],
      currentDate: new Date(now),
      clockTolerance: 0,
    }));
  } catch (error) {
    const jwtCode = (error as { code?: string }).code;
    if (jwtCode === 'ERR_JWT_EXPIRED') refuse(code, 'assertion_expired', 'The assertion has expired.');
    if (jwtCode === 'ERR_JWT_CLAIM_VALIDATION_FAILED') {
      const claim = (error as { claim?: string }).claim ?? 'a claim';
      refuse(code, `assertion_claim_${claim}`, `The assertion's ${claim} claim is missing or wrong.`);
    }
    refuse(code, 'assertion_signature', uniformDetail(code));
  }
  // Header rules, checked after the signature (as every claim): only the key's holder learns why,
  // nobody else learns that the key id exists.
  // An access token (at+jwt) or any other typed JWT is not an assertion, whoever signed it.
  const typs = options.clientAssertion ? CLIENT_TYPS : GRANT_TYPS;
  if (header.typ !== undefined && !(typeof header.typ === 'string' && typs.has(header.typ)))
    refuse(code, 'assertion_typ', `The assertion typ header must be absent or one of: ${[...typs].join(', ')}.`);
  // A kid naming another key than iss: the assertion is not what it claims to be.
  if (header.kid !== undefined && header.kid !== iss)
    refuse(code, 'assertion_kid', 'The assertion kid header must be the key id in iss.');

  const nowSeconds = Math.floor(now / 1000);
  let legacyAudience = false;
  if (typeof claims.aud !== 'string' || !options.audiences.includes(claims.aud)) {
    if (typeof claims.aud === 'string' && options.legacyAudiences?.includes(claims.aud)) legacyAudience = true;
    else refuse(code, 'assertion_claim_aud', 'The assertion aud must be a single string naming this server.');
  }
  if (options.clientAssertion ? claims.sub !== iss : claims.sub !== undefined && claims.sub !== iss)
    refuse(code, 'assertion_claim_sub', 'The assertion sub must equal its iss (the key id).');
  if (typeof claims.iat !== 'number' || Math.abs(nowSeconds - claims.iat) > IAT_TOLERANCE_SECONDS) {
    refuse(
      code,
      'assertion_claim_iat',
      `The assertion iat must be within ${IAT_TOLERANCE_SECONDS} seconds of the server time.`,
    );
  }
  const maxLifetime = options.maxLifetimeSeconds ?? MAX_ASSERTION_LIFETIME_SECONDS;
  if (claims.exp !== undefined && (claims.exp <= claims.iat || claims.exp > nowSeconds + maxLifetime))
    refuse(code, 'assertion_claim_exp', `The assertion exp must be after iat and at most ${maxLifetime} seconds away.`);
  // jose checks a numeric nbf; this also refuses one that is not a number.
  if (claims.nbf !== undefined && (typeof claims.nbf !== 'number' || claims.nbf > nowSeconds))
    refuse(code, 'assertion_claim_nbf', 'The assertion nbf must not be in the future.');
  for (const name of options.integerClaims ?? []) {
    if (claims[name] !== undefined && !Number.isSafeInteger(claims[name]))
      refuse(code, `assertion_claim_${name}`, `The assertion ${name} claim must be an integer.`);
  }
  if (typeof claims.jti !== 'string' || !UUID.test(claims.jti))
    refuse(code, 'assertion_claim_jti', 'The assertion jti must be a UUID.');

  // Keep the jti until the assertion could no longer pass the iat/exp checks anyway. Lowercased:
  // a UUID in another letter case is the same jti.
  const keepUntil = new Date(1000 * Math.max(claims.exp ?? 0, claims.iat + IAT_TOLERANCE_SECONDS) + 60_000);
  const { rowCount } = await hotQuery(
    'INSERT INTO used_assertions (issuer, jti, expires_at) VALUES ($1, $2, $3) ON CONFLICT (issuer, jti) DO NOTHING',
    [iss, claims.jti.toLowerCase(), keepUntil],
  );
  if (rowCount !== 1)
    refuse(code, 'jti_replayed', 'This assertion has been used already: every assertion needs a fresh jti.');
  return { principal, claims, legacyAudience };
}

/** purgeUsedAssertions deletes replay guards that have outlived their assertions. */
export async function purgeUsedAssertions(now = new Date()): Promise<number> {
  return db.$executeRaw`DELETE FROM used_assertions WHERE expires_at < ${now}`;
}
