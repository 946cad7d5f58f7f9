import 'server-only';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import type { Principal } from '@/lib/credentials/principals';
import { db } from '@/lib/db/client';
import { mintAccessToken, type MintedToken, type MintInput } from '@/lib/tokens/access-token';
import { issueRefreshToken } from '@/lib/tokens/refresh-token';
import type { TokenAttempt } from './attempt';
import type { GrantOutcome, TokenCallContext, TokenResult } from './grants/types';
import type { Narrowing } from './narrowing';
import { refuse } from './refusal';
import { issuedEvent, type IssuedDetails } from './token-audit';

const SCOPE_TOKEN = /^[A-Za-z0-9_.:-]{1,64}$/;

export const NO_NARROWING: Narrowing = { projectId: null, environmentId: null };

/** Who holds the scopes a request may ask for, as the refusal names it. */
export type ScopeHolder = 'account' | 'subject_token' | 'refresh_token';
const HOLDER_NAME: Record<ScopeHolder, string> = {
  account: 'Scope not granted to this account',
  subject_token: 'Scope not in the subject token (or no longer granted to its account)',
  refresh_token: 'Scope not in the refresh token (or no longer granted to its account)',
};

/**
 * resolveScopes returns the requested scopes (all held ones when none are asked for); a scope the
 * holder lacks is invalid_scope, and the description says which holder lacks it.
 */
export function resolveScopes(
  requested: string | null | undefined,
  held: readonly string[],
  holder: ScopeHolder = 'account',
): string[] {
  if (requested === null || requested === undefined || requested.trim() === '') return [...held];
  const asked = [...new Set(requested.split(' ').filter(Boolean))];
  if (asked.some((s) => !SCOPE_TOKEN.test(s)))
    refuse('invalid_scope', 'scope_malformed', 'The scope parameter is malformed.');
  const missing = asked.filter((s) => !held.includes(s));
  if (missing.length > 0)
    refuse('invalid_scope', 'scope_not_held', `${HOLDER_NAME[holder]}: ${missing.slice(0, 5).join(' ')}.`);
  return asked;
}

const DPOP_REQUIRED = 'This service account requires DPoP: send a DPoP proof (RFC 9449) with the token request.';

/**
 * mintFor mints the access token of an issuance, for every grant and every compat flow: with a
 * DPoP proof (TokenAttempt.dpopProof, verified here, after the grant identified the account, so
 * that a refusal is audited in its organization) the token is bound to the proof's key
 * (`cnf.jkt`). An account that requires DPoP gets no token without a proof: invalid_dpop_proof,
 * never a bearer token (Keycloak #48428 issued one). `boundTo` is the key a presented grant is
 * bound to (a DPoP-bound refresh or subject token): then the proof must be signed by that key.
 */
export async function mintFor(
  principal: Principal,
  attempt: TokenAttempt,
  input: Omit<MintInput, 'jkt' | 'serviceAccountId' | 'clientId'>,
  boundTo: { jkt: string | null; what: string } = { jkt: null, what: '' },
): Promise<MintedToken> {
  const proof = await attempt.dpopProof();
  if (boundTo.jkt) {
    if (!proof)
      refuse(
        'invalid_dpop_proof',
        'dpop_proof_missing_for_bound',
        `The ${boundTo.what} is bound to a DPoP key: send a DPoP proof signed by that key.`,
      );
    if (proof.jkt !== boundTo.jkt)
      refuse(
        'invalid_dpop_proof',
        'dpop_key_mismatch',
        `The DPoP proof is not signed by the key the ${boundTo.what} is bound to.`,
      );
  }
  if (!proof && principal.account.requireDpop) refuse('invalid_dpop_proof', 'dpop_required', DPOP_REQUIRED);
  return mintAccessToken({
    ...input,
    serviceAccountId: principal.account.id,
    clientId: principal.credentialId,
    jkt: proof?.jkt ?? null,
  });
}

/** tokenResult is the RFC 6749 §5.1 answer for a minted access token (token_type DPoP when it is bound, RFC 9449 §5). */
export function tokenResult(minted: MintedToken, extra: Partial<TokenResult> = {}): TokenResult {
  return {
    access_token: minted.token,
    token_type: minted.jkt ? 'DPoP' : 'Bearer',
    expires_in: minted.expiresIn,
    scope: minted.scope,
    ...extra,
  };
}

/** issuedDetails is what the TOKEN_ISSUED event records of a minted token (ids, scope, lifetime; never the token). */
export function issuedDetails(minted: MintedToken, narrowing: Narrowing, refresh = false): IssuedDetails {
  return {
    scope: minted.scope,
    jti: minted.jti,
    expires_in: minted.expiresIn,
    ...(refresh ? { refresh_token_issued: true } : {}),
    ...(narrowing.projectId ? { project_id: narrowing.projectId } : {}),
    ...(narrowing.environmentId ? { environment_id: narrowing.environmentId } : {}),
    ...(minted.jkt ? { dpop_jkt: minted.jkt } : {}),
    ...(minted.rootJti ? { root_jti: minted.rootJti } : {}),
  };
}

/**
 * issueFor mints an access token for an authenticated principal (and, for a client token pair,
 * a refresh token starting a new family, stored together with the audit event).
 */
export async function issueFor(
  principal: Principal,
  attempt: TokenAttempt,
  ctx: TokenCallContext,
  scopes: string[],
  narrowing: Narrowing = NO_NARROWING,
): Promise<GrantOutcome> {
  const minted = await mintFor(principal, attempt, {
    scopes,
    lifetimeSeconds: principal.account.tokenLifetimeSeconds,
    ...narrowing,
    external: attempt.external,
  });
  if (principal.kind !== 'client_token_pair')
    return { principal, result: tokenResult(minted), details: issuedDetails(minted, narrowing) };
  let d = issuedDetails(minted, narrowing, true);
  const refreshToken = await db.$transaction(async (tx) => {
    const { token, familyId } = await issueRefreshToken(
      tx,
      principal,
      // A refresh token issued with a proof is bound to its key, as the access token is.
      { scopes, ...narrowing, dpopJkt: minted.jkt },
      { jti: minted.jti, expiresAt: minted.expiresAt },
    );
    d = { ...d, family_id: familyId };
    await recordAuditEvent(tx, issuedEvent(attempt, ctx.meta, ctx.endpoint, d));
    return token;
  });
  return { principal, result: tokenResult(minted, { refresh_token: refreshToken }), details: d, audited: true };
}
