import 'server-only';
import type { RequestMeta } from '@/lib/audit/actor';
import { AppError } from '@/lib/errors';
import { issuerUrl } from '@/lib/issuer';
import { activeAccessToken, type ActiveAccessToken } from '@/lib/tokens/token-state';
import {
  currentDpopNonce,
  DPOP_SIGNING_ALGS,
  dpopNoncesEnabled,
  isDpopRefusal,
  readDpopHeader,
  verifyDpopProof,
} from './dpop';

/** What a verified management access token tells about its caller. */
export type BearerCaller = {
  orgId: string;
  orgSlug: string;
  serviceAccountId: string;
  serviceAccountName: string;
  scopes: string[];
};

/**
 * A valid, active token that may not use the management API at all: its account is not
 * `isAdmin`, or the token was narrowed to a project. RFC 6750 §3.1 calls this
 * insufficient_scope (403), not invalid_token (401): retrying with the same token cannot help,
 * and the client must not be told to re-authenticate as if its token were broken.
 */
export const NOT_A_MANAGEMENT_TOKEN = 'not_a_management_token' as const;

/**
 * DpopChallengeError is a 401 (invalid_token) of the DPoP scheme (RFC 9449 §7.1): a DPoP-bound
 * token presented as Bearer, a DPoP proof that does not pass, or one without the server nonce.
 * It answers `WWW-Authenticate: DPoP error="…"` (and DPoP-Nonce when nonces are on).
 */
export class DpopChallengeError extends AppError {
  constructor(
    readonly dpopError: 'invalid_token' | 'invalid_dpop_proof' | 'use_dpop_nonce',
    detail: string,
  ) {
    super('invalid_token', detail);
  }

  /** challengeHeaders are the response headers of the challenge. */
  challengeHeaders(): Record<string, string> {
    const description = this.detail.replace(/[\\"]/g, '');
    const headers: Record<string, string> = {
      'WWW-Authenticate': `DPoP realm="latchkey", error="${this.dpopError}", error_description="${description}", algs="${DPOP_SIGNING_ALGS.join(' ')}"`,
    };
    if (dpopNoncesEnabled()) headers['DPoP-Nonce'] = currentDpopNonce();
    return headers;
  }
}

/** The request a management token came with, as far as a DPoP proof covers it. */
export type PresentedRequest = { method: string; url: string; headers: { get(name: string): string | null } };

const AUTHORIZATION = /^(Bearer|DPoP)\s+([A-Za-z0-9._~+/-]+=*)$/i;

/**
 * authenticateManagementRequest authenticates an /api/v1 call by its Authorization header,
 * `Bearer <token>` or `DPoP <token>` (RFC 9449 §7.1), and returns what authenticateManagementBearer
 * does. A DPoP-bound token (cnf.jkt) is accepted only as `DPoP`, with a proof (lib/oauth/dpop.ts)
 * naming the request's method and URL (under the issuer's public URL), carrying `ath` (the
 * token's hash), signed by the token's key, and used once; as `Bearer` it is refused: a stolen
 * bound token is useless without the key. An unbound token is accepted only as Bearer. Those
 * refusals throw DpopChallengeError; a token that is not valid and active answers null.
 */
export async function authenticateManagementRequest(
  authorization: string,
  request: PresentedRequest,
  meta: RequestMeta,
): Promise<BearerCaller | typeof NOT_A_MANAGEMENT_TOKEN | null> {
  const match = AUTHORIZATION.exec(authorization.trim());
  if (!match?.[1] || !match[2]) return null;
  const scheme = match[1].toLowerCase() === 'dpop' ? 'DPoP' : 'Bearer';
  const token = match[2];
  const active = await activeAccessToken(token);
  if (!active) return null;
  const jkt = active.claims.cnf?.jkt;
  if (jkt && scheme === 'Bearer')
    throw new DpopChallengeError(
      'invalid_token',
      'This access token is bound to a DPoP key: send it as "Authorization: DPoP <token>" with a DPoP proof.',
    );
  if (!jkt && scheme === 'DPoP')
    throw new DpopChallengeError('invalid_token', 'This access token is not DPoP-bound: send it as a Bearer token.');
  if (jkt) await proveKey(token, jkt, request);
  return managementCaller(active, meta);
}

async function proveKey(token: string, jkt: string, request: PresentedRequest): Promise<void> {
  try {
    const proof = readDpopHeader(request.headers);
    if (proof === null)
      throw new DpopChallengeError('invalid_dpop_proof', 'A DPoP proof is required with a DPoP token.');
    const verified = await verifyDpopProof(proof, {
      htm: request.method,
      htu: `${issuerUrl()}${new URL(request.url).pathname}`,
      accessToken: token,
    });
    if (verified.jkt !== jkt)
      throw new DpopChallengeError(
        'invalid_dpop_proof',
        'The DPoP proof is not signed by the key the access token is bound to.',
      );
  } catch (error) {
    if (isDpopRefusal(error))
      throw new DpopChallengeError(
        error.code === 'use_dpop_nonce' ? 'use_dpop_nonce' : 'invalid_dpop_proof',
        error.detail,
      );
    throw error;
  }
}

/**
 * authenticateManagementBearer verifies an access token presented to /api/v1 and returns its
 * caller when the token is valid (Latchkey signature, issuer, audience, expiry), active (not
 * revoked, account ACTIVE, its credential enabled and unexpired) and belongs to an `isAdmin`
 * service account; null otherwise. The organization comes from the account row, never from
 * the request. The token's scopes are returned as issued: apiRoute checks that one of them
 * grants the route's permission (a scope the account no longer holds is dropped here).
 * A token that is valid and active but not a management token (see NOT_A_MANAGEMENT_TOKEN)
 * answers that marker, so the caller can refuse it with 403 rather than 401. It does not look
 * at DPoP: /api/v1 calls go through authenticateManagementRequest.
 */
export async function authenticateManagementBearer(
  token: string,
  meta: RequestMeta,
): Promise<BearerCaller | typeof NOT_A_MANAGEMENT_TOKEN | null> {
  const active = await activeAccessToken(token);
  return active ? managementCaller(active, meta) : null;
}

function managementCaller(active: ActiveAccessToken, _meta: RequestMeta): BearerCaller | typeof NOT_A_MANAGEMENT_TOKEN {
  if (!active.isAdmin) return NOT_A_MANAGEMENT_TOKEN;
  // A token narrowed to a project (token exchange) must not manage the whole organization.
  if (active.claims.project_id || active.claims.environment_id) return NOT_A_MANAGEMENT_TOKEN;
  return {
    orgId: active.organizationId,
    orgSlug: active.orgSlug,
    serviceAccountId: active.claims.sub,
    serviceAccountName: active.accountName,
    scopes: active.scopes,
  };
}
