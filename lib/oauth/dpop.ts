import 'server-only';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { calculateJwkThumbprint, decodeProtectedHeader, EmbeddedJWK, jwtVerify, type JWK } from 'jose';
import { Redis } from 'ioredis';
import { z } from 'zod';
import { db } from '@/lib/db/client';
import { hotQuery } from '@/lib/db/hot-db';
import { env } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { issuerUrl } from '@/lib/issuer';
import { moduleState } from '@/lib/process-state';
import { refuse, TokenRefusal } from './refusal';

/**
 * DPoP (RFC 9449): the one validator of DPoP proofs, for the token endpoint (every grant, the
 * compat flows) and for /api/v1 as a resource server. A proof is checked against rules given as
 * data (method, URL, access token, clock); what passes is its key's RFC 7638 thumbprint (`jkt`,
 * the `cnf.jkt` of the tokens bound to it). Refusals are TokenRefusals with the RFC 9449 codes
 * (invalid_dpop_proof, use_dpop_nonce) and a stable reason for the audit log.
 */

/** The proof signing algorithms accepted (asymmetric only; the metadata document advertises them). */
export const DPOP_SIGNING_ALGS = [
  'ES256',
  'ES384',
  'ES512',
  'PS256',
  'PS384',
  'PS512',
  'RS256',
  'RS384',
  'RS512',
  'EdDSA',
] as const;
export const DPOP_PROOF_TYPE = 'dpop+jwt';
const ALGS: ReadonlySet<string> = new Set(DPOP_SIGNING_ALGS);
const KEY_TYPES = new Set(['EC', 'RSA', 'OKP']);
/** JWK members that belong to a private (or symmetric) key: a proof's header carries the public key only. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const MAX_PROOF_CHARS = 8192;

/** What a proof is checked against: the request it came with, and the access token it goes with (resource servers). */
export type DpopRules = {
  /** The request's method (RFC 9110), compared exactly with `htm`. */
  htm: string;
  /** The request's URL as the client addressed it (the issuer's URL for our own endpoints); compared with `htu` after normaliseHtu. */
  htu: string;
  /** The access token the proof must be bound to through `ath` (a resource server's check, RFC 9449 §4.3 point 12). */
  accessToken?: string;
  now?: number;
};

/** A proof that passed: its key's thumbprint (`cnf.jkt`) and its jti. */
export type VerifiedProof = { jkt: string; jti: string; iat: number };

const claimsSchema = z.object({
  jti: z.string().min(1).max(256),
  htm: z.string().min(1).max(32),
  htu: z.string().min(1).max(4096),
  iat: z.number().int(),
  ath: z.string().max(128).optional(),
  nonce: z.string().max(256).optional(),
});

function bad(reason: string, detail: string): never {
  refuse('invalid_dpop_proof', reason, detail);
}

/**
 * readDpopHeader returns the one DPoP header value of a request, or null when there is none.
 * Two DPoP headers reach us joined by ", " (RFC 9110 §5.3, both mounts): a compact JWS has no
 * comma and no space, so either means more than one proof, which RFC 9449 §4.3 refuses.
 */
export function readDpopHeader(headers: { get(name: string): string | null }): string | null {
  const value = headers.get('dpop');
  if (value === null) return null;
  const proof = value.trim();
  if (/[,\s]/.test(proof)) bad('dpop_multiple', 'Send exactly one DPoP header.');
  if (!proof) bad('dpop_malformed', 'The DPoP header is empty.');
  return proof;
}

const UNRESERVED = /[A-Za-z0-9\-._~]/;

/**
 * normaliseHtu is the form in which `htu` and the request URL are compared (RFC 9449 §4.3
 * point 9, RFC 3986 §6.2.2 and §6.2.3): http(s) only, no query and no fragment, scheme and host
 * lowercase, default port dropped, an empty path as "/", percent-encoded unreserved characters
 * decoded and other percent-encodings in uppercase. Null for anything else.
 */
export function normaliseHtu(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.username || url.password) return null;
  const path = (url.pathname || '/').replace(/%[0-9A-Fa-f]{2}/g, (escape) => {
    const c = String.fromCharCode(parseInt(escape.slice(1), 16));
    return UNRESERVED.test(c) ? c : escape.toUpperCase();
  });
  return `${url.protocol}//${url.host}${path}`;
}

/** accessTokenHash is `ath` (RFC 9449 §4.2): the base64url SHA-256 of the access token's ASCII text. */
export function accessTokenHash(accessToken: string): string {
  return createHash('sha256').update(accessToken, 'ascii').digest('base64url');
}

/** dpopNoncesEnabled tells whether every proof must carry a server nonce (DPOP_NONCE=on). */
export function dpopNoncesEnabled(): boolean {
  return env().DPOP_NONCE === 'on';
}

function nonceKey(): Buffer {
  const secret = env().NEXTAUTH_SECRET;
  const state = moduleState('__latchkeyDpopNonceKey', () => ({ secret: '', key: Buffer.alloc(0) }));
  if (state.secret !== secret) {
    state.secret = secret;
    state.key = createHmac('sha256', secret).update('latchkey dpop nonce v1').digest();
  }
  return state.key;
}

function noncePeriodMs(): number {
  return env().DPOP_IAT_WINDOW_SECONDS * 1000;
}

function nonceFor(window: number): string {
  const mac = createHmac('sha256', nonceKey()).update(`dpop-nonce:${window}`).digest('base64url').slice(0, 22);
  return `${window.toString(36)}.${mac}`;
}

/**
 * currentDpopNonce is the server nonce (RFC 9449 §8) of the current period: an HMAC of the
 * period's number under a key derived from NEXTAUTH_SECRET, so that every instance makes and
 * accepts the same nonces without sharing state. A nonce is good in its period and the next.
 */
export function currentDpopNonce(now = Date.now()): string {
  return nonceFor(Math.floor(now / noncePeriodMs()));
}

/** dpopNonceValid tells whether `nonce` is this or the previous period's nonce. */
export function dpopNonceValid(nonce: string, now = Date.now()): boolean {
  const window = Math.floor(now / noncePeriodMs());
  const presented = Buffer.from(nonce);
  return [window, window - 1].some((w) => {
    const expected = Buffer.from(nonceFor(w));
    return expected.length === presented.length && timingSafeEqual(expected, presented);
  });
}

/**
 * checkDpopProof checks one proof against `rules`, every point of RFC 9449 §4.3 except the
 * single use of its jti (verifyDpopProof adds that): a JWS of at most 8 KB; header `typ`
 * dpop+jwt, `alg` one of DPOP_SIGNING_ALGS, `jwk` a public EC, RSA or OKP key with no private
 * member; the signature verifies under that key (jose: RSA keys of 2048 bits at least); claims
 * `jti`, `htm`, `htu`, `iat` present and well-typed; `htm` the request's method, `htu` its URL
 * (normaliseHtu); `iat` within DPOP_IAT_WINDOW_SECONDS of now; with `rules.accessToken`, `ath`
 * its hash; with DPOP_NONCE=on, a current server nonce (use_dpop_nonce otherwise). Throws
 * TokenRefusal; returns the key's thumbprint.
 */
export async function checkDpopProof(proof: string, rules: DpopRules): Promise<VerifiedProof> {
  if (proof.length > MAX_PROOF_CHARS || !JWT_SHAPE.test(proof)) bad('dpop_malformed', 'The DPoP proof is not a JWT.');
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(proof);
  } catch {
    bad('dpop_malformed', 'The DPoP proof is not a JWT.');
  }
  if (header.typ !== DPOP_PROOF_TYPE) bad('dpop_typ', `The DPoP proof typ header must be ${DPOP_PROOF_TYPE}.`);
  if (typeof header.alg !== 'string' || !ALGS.has(header.alg))
    bad('dpop_alg', `The DPoP proof alg must be one of: ${DPOP_SIGNING_ALGS.join(', ')}.`);
  const jwk = header.jwk as (JWK & Record<string, unknown>) | undefined;
  if (!jwk || typeof jwk !== 'object' || Array.isArray(jwk) || typeof jwk.kty !== 'string' || !KEY_TYPES.has(jwk.kty))
    bad('dpop_jwk', 'The DPoP proof jwk header must be a public EC, RSA or OKP key.');
  if (PRIVATE_MEMBERS.some((member) => member in jwk))
    bad('dpop_jwk_private', 'The DPoP proof jwk header must not contain a private key.');

  const now = rules.now ?? Date.now();
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(proof, EmbeddedJWK, {
      algorithms: [...DPOP_SIGNING_ALGS],
      typ: DPOP_PROOF_TYPE,
      currentDate: new Date(now),
    }));
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_JWT_EXPIRED') bad('dpop_claim_exp', 'The DPoP proof has expired.');
    if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') {
      const claim = (error as { claim?: string }).claim ?? 'a claim';
      bad(`dpop_claim_${claim}`, `The DPoP proof ${claim} claim is missing or malformed.`);
    }
    bad('dpop_signature', 'The DPoP proof signature does not verify with its jwk.');
  }
  const parsed = claimsSchema.safeParse(payload);
  if (!parsed.success) {
    const claim = String(parsed.error.issues[0]?.path[0] ?? 'a claim');
    bad(`dpop_claim_${claim}`, `The DPoP proof ${claim} claim is missing or malformed.`);
  }
  const claims = parsed.data;
  if (claims.htm !== rules.htm) bad('dpop_htm', `The DPoP proof htm must be ${rules.htm}.`);
  const htu = normaliseHtu(claims.htu);
  if (htu === null || htu !== normaliseHtu(rules.htu))
    bad('dpop_htu', `The DPoP proof htu must be ${normaliseHtu(rules.htu) ?? rules.htu}.`);
  const window = env().DPOP_IAT_WINDOW_SECONDS;
  if (Math.abs(Math.floor(now / 1000) - claims.iat) > window)
    bad('dpop_iat', `The DPoP proof iat must be within ${window} seconds of the server time.`);
  if (rules.accessToken !== undefined) {
    const expected = Buffer.from(accessTokenHash(rules.accessToken));
    const presented = Buffer.from(claims.ath ?? '');
    if (presented.length !== expected.length || !timingSafeEqual(presented, expected))
      bad('dpop_ath', 'The DPoP proof ath must be the hash of the access token it is sent with.');
  }
  if (dpopNoncesEnabled()) {
    if (claims.nonce === undefined)
      refuse('use_dpop_nonce', 'dpop_nonce_missing', 'The DPoP proof must carry the server nonce (DPoP-Nonce).');
    if (!dpopNonceValid(claims.nonce, now))
      refuse('use_dpop_nonce', 'dpop_nonce_stale', 'The DPoP proof nonce is not current: use the one in DPoP-Nonce.');
  }
  return { jkt: await calculateJwkThumbprint(jwk, 'sha256'), jti: claims.jti, iat: claims.iat };
}

/**
 * verifyDpopProof is checkDpopProof plus the single use of the proof's jti (RFC 9449 §11.1),
 * remembered for as long as the proof's iat stays acceptable, on every instance
 * (claimProofJti). A replay is refused with invalid_dpop_proof.
 */
export async function verifyDpopProof(proof: string, rules: DpopRules): Promise<VerifiedProof> {
  const verified = await checkDpopProof(proof, rules);
  const now = rules.now ?? Date.now();
  const until = (verified.iat + env().DPOP_IAT_WINDOW_SECONDS + 1) * 1000;
  if (!(await claimProofJti(verified.jkt, verified.jti, Math.max(1000, until - now))))
    bad('dpop_jti_replayed', 'This DPoP proof has been used already: every proof needs a fresh jti.');
  return verified;
}

type RedisHolder = { url: string; client: Redis };

function redisFor(url: string): Redis {
  const holder = moduleState('__latchkeyDpopRedis', () => ({}) as { current?: RedisHolder });
  if (holder.current?.url !== url) {
    // Commands wait (briefly) for the connection instead of failing while it comes up.
    const client = new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 2000, commandTimeout: 2000 });
    client.on('error', () => undefined); // reported by the command that needed it
    holder.current = { url, client };
  }
  return holder.current.client;
}

const JTI_STORE_DOWN = 'The DPoP replay store is briefly unavailable. Try again in a few seconds.';

/**
 * claimProofJti records a proof's (jkt, jti) for `ttlMs` and tells whether it was new: in
 * Redis when REDIS_URL is set (one SET NX PX), else in PostgreSQL (one INSERT … ON CONFLICT DO
 * NOTHING into dpop_proof_jtis, migration 0040), so a second use fails on every instance, even
 * for parallel requests. A store that cannot answer is service_unavailable (503): a replay
 * guard that fails open would be none.
 */
export async function claimProofJti(jkt: string, jti: string, ttlMs: number): Promise<boolean> {
  const { REDIS_URL, REDIS_KEY_PREFIX } = env();
  if (REDIS_URL) {
    try {
      const key = `${REDIS_KEY_PREFIX}:dpop-jti:${jkt}:${createHash('sha256').update(jti).digest('base64url')}`;
      return (await redisFor(REDIS_URL).set(key, '1', 'PX', Math.ceil(ttlMs), 'NX')) === 'OK';
    } catch (error) {
      throw new AppError('service_unavailable', JTI_STORE_DOWN, { cause: error, retryAfterSeconds: 5 });
    }
  }
  const { rowCount } = await hotQuery(
    'INSERT INTO dpop_proof_jtis (jkt, jti, expires_at) VALUES ($1, $2, $3) ON CONFLICT (jkt, jti) DO NOTHING',
    [jkt, jti, new Date(Date.now() + ttlMs)],
  );
  return rowCount === 1;
}

/** purgeUsedProofs deletes the PostgreSQL replay guards of proofs that can no longer be accepted anyway. */
export async function purgeUsedProofs(now = new Date()): Promise<number> {
  return db.$executeRaw`DELETE FROM dpop_proof_jtis WHERE expires_at < ${now}`;
}

/**
 * DpopPresentation is the DPoP side of one token request: the header as received and the rules
 * it must pass. The proof is verified once, when a grant first asks for it (after the client or
 * the grant identified the account, so that a refusal is audited in its organization), and the
 * answer kept: a request decided twice (token-service.ts runGrant) spends its jti once.
 */
export class DpopPresentation {
  readonly #headers: { get(name: string): string | null };
  readonly #rules: DpopRules;
  #verified: Promise<VerifiedProof | null> | undefined;

  constructor(headers: { get(name: string): string | null }, rules: DpopRules) {
    this.#headers = headers;
    this.#rules = rules;
  }

  /** proof verifies the request's proof once (verifyDpopProof): null when none was sent; throws TokenRefusal. */
  proof(): Promise<VerifiedProof | null> {
    this.#verified ??= (async () => {
      const proof = readDpopHeader(this.#headers);
      return proof === null ? null : verifyDpopProof(proof, this.#rules);
    })();
    return this.#verified;
  }
}

/**
 * dpopPresentation is the DPoP side of a token request at one of our own POST endpoints
 * (`path`, e.g. /api/oauth/token or a compat flow's): the proof must name the path under the
 * issuer's public URL, which is what the client addressed whatever proxy passed the request on.
 */
export function dpopPresentation(headers: { get(name: string): string | null }, path: string): DpopPresentation {
  return new DpopPresentation(headers, { htm: 'POST', htu: `${issuerUrl()}${path}` });
}

/** isDpopRefusal tells a refused proof (or a missing nonce) apart from other refusals. */
export function isDpopRefusal(error: unknown): error is TokenRefusal {
  return error instanceof TokenRefusal && (error.code === 'invalid_dpop_proof' || error.code === 'use_dpop_nonce');
}
