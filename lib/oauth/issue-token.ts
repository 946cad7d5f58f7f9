import 'server-only';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import type { Principal } from '@/lib/credentials/principals';
import { db } from '@/lib/db/client';
import { mintAccessToken, type MintedToken } from '@/lib/tokens/access-token';
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

/** tokenResult is the RFC 6749 §5.1 answer for a minted access token. */
export function tokenResult(minted: MintedToken, extra: Partial<TokenResult> = {}): TokenResult {
  return {
    access_token: minted.token,
    token_type: 'Bearer',
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
  const minted = await mintAccessToken({
    serviceAccountId: principal.account.id,
    clientId: principal.credentialId,
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
      { scopes, ...narrowing },
      { jti: minted.jti, expiresAt: minted.expiresAt },
    );
    d = { ...d, family_id: familyId };
    await recordAuditEvent(tx, issuedEvent(attempt, ctx.meta, ctx.endpoint, d));
    return token;
  });
  return { principal, result: tokenResult(minted, { refresh_token: refreshToken }), details: d, audited: true };
}
