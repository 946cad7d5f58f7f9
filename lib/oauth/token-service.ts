import 'server-only';
import { decodeJwt } from 'jose';
import type { RequestMeta } from '@/lib/audit/actor';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { env } from '@/lib/env';
import { mintAccessToken, type MintedToken } from '@/lib/tokens/access-token';
import {
  consumeRefreshToken,
  findRefreshToken,
  issueRefreshToken,
  revokeRefreshFamily,
} from '@/lib/tokens/refresh-token';
import { activeAccessToken, purgeRevokedTokens } from '@/lib/tokens/token-state';
import { logger } from '@/lib/logger';
import { moduleState } from '@/lib/process-state';
import { purgeUsedAssertions, verifyAssertion, type AssertionOptions } from './assertion';
import { resetTokenRateLimits, settledOutcome, tokenRateLimits } from './rate-limits';
import {
  assertAccountUsable,
  assertCredentialUsable,
  auditableClientId,
  authenticateClient,
  parseBasic,
  type TokenAttempt,
} from './client-auth';
import { issuerUrl, tokenUrl } from './issuer';
import { resolveNarrowing, type Narrowing } from './narrowing';
import { findClientTokenPair, findPrincipalByCredentialId, forgetClientSecret, type Principal } from './principals';
import { refuse, refusalReason, TokenRefusal } from './refusal';
import { issuedEvent, refusedEvent, type IssuedDetails } from './token-audit';
import { recordTokenEvent, StaleCredential, type CredentialUse } from './usage-log';

export const GRANT = {
  clientCredentials: 'client_credentials',
  jwtBearer: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
  refreshToken: 'refresh_token',
  tokenExchange: 'urn:ietf:params:oauth:grant-type:token-exchange',
} as const;
export const ACCESS_TOKEN_TYPE_URN = 'urn:ietf:params:oauth:token-type:access_token';
const JWT_TOKEN_TYPE_URN = 'urn:ietf:params:oauth:token-type:jwt';

/** The token service's answer, in RFC 6749 §5.1 names; compat routes reshape it. */
export type TokenResult = {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  refresh_token?: string;
  issued_token_type?: string;
};

/** Where a token request came from: request facts and which endpoint (for the audit log). */
export type TokenCallContext = { meta: RequestMeta; endpoint: string };

type GrantOutcome = { principal: Principal; result: TokenResult; details: IssuedDetails; audited?: boolean };

/** resetTokenLimiters drops the limiters so that the next call reads the limits again (tests). */
export function resetTokenLimiters(): void {
  resetTokenRateLimits();
}

const PURGE_EVERY_MS = 60_000;
const purgeState = () => moduleState('__latchkeyTokenPurge', () => ({ last: 0 }));

/** purgeExpiredState drops replay guards and revocations that have outlived their tokens (at most once a minute per instance, off the request path). */
function purgeExpiredState(): void {
  const now = Date.now();
  const state = purgeState();
  if (now - state.last < PURGE_EVERY_MS) return;
  state.last = now;
  void Promise.all([purgeUsedAssertions(), purgeRevokedTokens()]).catch((error: unknown) =>
    logger.warn({ err: error }, 'token state purge failed'),
  );
}

/** limitCaller admits a request under the token service's rate limits (lib/oauth/rate-limits.ts; also used by introspection and revocation). */
export async function limitCaller(ip: string | null, clientId: string | null): Promise<void> {
  await tokenRateLimits().admit(ip, clientId);
}

/** Thrown when a decision made on a cached copy must be made again on fresh data. */
class DecideAgain extends Error {}

/**
 * runGrant is the frame around every issuance, whichever endpoint asked: rate limits (per IP,
 * then per presented client id), the grant itself, and exactly one audit event, TOKEN_ISSUED or
 * TOKEN_REFUSED with a stable reason, committed before the answer leaves (so no token exists
 * that the log does not know), and the credential's last use. Never logs a secret or a token.
 *
 * A `cacheable` grant (client_credentials) may be decided on a cached copy of its client secret
 * (principals.ts findClientSecret). That copy never has the last word: the audit batch commits
 * the issuance only if the secret and its account are unchanged, and a refusal is not recorded
 * before the same request was decided again on fresh data. Either way the grant then runs once
 * more, without the cache.
 */
export async function runGrant(
  grantType: string,
  ctx: TokenCallContext,
  presentedClientId: string | null,
  grant: (attempt: TokenAttempt) => Promise<GrantOutcome>,
  options: { cacheable?: boolean } = {},
): Promise<TokenResult> {
  const clientId = auditableClientId(presentedClientId);
  purgeExpiredState();
  try {
    await limitCaller(ctx.meta.ip, clientId);
  } catch (error) {
    await recordTokenEvent(
      refusedEvent(
        { grantType, clientId, principal: null },
        ctx.meta,
        ctx.endpoint,
        error instanceof AppError ? error.code : 'server_error',
        refusalReason(error),
      ),
    );
    throw error;
  }
  try {
    const result = await decideOnce(grantType, ctx, clientId, grant, options);
    await tokenRateLimits().settled(ctx.meta.ip, clientId, 'success');
    return result;
  } catch (error) {
    // A refusal spends the failure budget of (client id, address), never the client's own.
    const outcome = settledOutcome(error);
    if (outcome) await tokenRateLimits().settled(ctx.meta.ip, clientId, outcome);
    throw error;
  }
}

async function decideOnce(
  grantType: string,
  ctx: TokenCallContext,
  clientId: string | null,
  grant: (attempt: TokenAttempt) => Promise<GrantOutcome>,
  options: { cacheable?: boolean },
): Promise<TokenResult> {
  if (options.cacheable) {
    try {
      return await decide(grantType, ctx, clientId, grant, true);
    } catch (error) {
      if (!(error instanceof DecideAgain)) throw error;
    }
  }
  return decide(grantType, ctx, clientId, grant, false);
}

async function decide(
  grantType: string,
  ctx: TokenCallContext,
  clientId: string | null,
  grant: (attempt: TokenAttempt) => Promise<GrantOutcome>,
  cache: boolean,
): Promise<TokenResult> {
  const attempt: TokenAttempt = { grantType, clientId, principal: null, cache };
  let outcome: GrantOutcome;
  try {
    outcome = await grant(attempt);
  } catch (error) {
    if (attempt.principal?.fromCache && error instanceof TokenRefusal) throw new DecideAgain();
    if (!(error instanceof TokenRefusal && error.audited)) {
      const code = error instanceof AppError ? error.code : 'server_error';
      await recordTokenEvent(refusedEvent(attempt, ctx.meta, ctx.endpoint, code, refusalReason(error)));
    }
    throw error;
  }
  const { principal } = outcome;
  const use: CredentialUse = {
    kind: principal.kind,
    credentialId: principal.credentialId,
    serviceAccountId: principal.account.id,
    ip: ctx.meta.ip,
    at: new Date(),
  };
  if (principal.fromCache && principal.fingerprint) use.fingerprint = principal.fingerprint;
  try {
    // An audited outcome has its event in the log already (same transaction as its refresh token).
    await recordTokenEvent(outcome.audited ? null : issuedEvent(attempt, ctx.meta, ctx.endpoint, outcome.details), use);
  } catch (error) {
    if (!(error instanceof StaleCredential)) throw error;
    forgetClientSecret(principal.credentialId);
    throw new DecideAgain();
  }
  return outcome.result;
}

/** refuseUnreadable audits the refusal of a request whose body could not even be read, then rethrows. */
export async function refuseUnreadable(grantType: string, ctx: TokenCallContext, error: unknown): Promise<never> {
  await runGrant(grantType, ctx, null, async () => {
    throw error;
  });
  throw error;
}

// ------------------------------------------------------------------------------------------
// Building blocks shared by the standard endpoint and the compat flows
// ------------------------------------------------------------------------------------------

const SCOPE_TOKEN = /^[A-Za-z0-9_.:-]{1,64}$/;

/** resolveScopes returns the requested scopes (all held ones when none are asked for); a scope the holder lacks is invalid_scope. */
export function resolveScopes(requested: string | null | undefined, held: readonly string[]): string[] {
  if (requested === null || requested === undefined || requested.trim() === '') return [...held];
  const asked = [...new Set(requested.split(' ').filter(Boolean))];
  if (asked.some((s) => !SCOPE_TOKEN.test(s)))
    refuse('invalid_scope', 'scope_malformed', 'The scope parameter is malformed.');
  const missing = asked.filter((s) => !held.includes(s));
  if (missing.length > 0)
    refuse('invalid_scope', 'scope_not_held', `Scope not granted to this account: ${missing.slice(0, 5).join(' ')}.`);
  return asked;
}

function tokenResult(minted: MintedToken, extra: Partial<TokenResult> = {}): TokenResult {
  return {
    access_token: minted.token,
    token_type: 'Bearer',
    expires_in: minted.expiresIn,
    scope: minted.scope,
    ...extra,
  };
}

function details(minted: MintedToken, narrowing: Narrowing, refresh = false): IssuedDetails {
  return {
    scope: minted.scope,
    jti: minted.jti,
    expires_in: minted.expiresIn,
    ...(refresh ? { refresh_token_issued: true } : {}),
    ...(narrowing.projectId ? { project_id: narrowing.projectId } : {}),
    ...(narrowing.environmentId ? { environment_id: narrowing.environmentId } : {}),
  };
}

const NO_NARROWING: Narrowing = { projectId: null, environmentId: null };

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
  });
  if (principal.kind !== 'client_token_pair')
    return { principal, result: tokenResult(minted), details: details(minted, narrowing) };
  const d = details(minted, narrowing, true);
  const refreshToken = await db.$transaction(async (tx) => {
    const token = await issueRefreshToken(
      tx,
      principal,
      { scopes, ...narrowing },
      { jti: minted.jti, expiresAt: minted.expiresAt },
    );
    await recordAuditEvent(tx, issuedEvent(attempt, ctx.meta, ctx.endpoint, d));
    return token;
  });
  return { principal, result: tokenResult(minted, { refresh_token: refreshToken }), details: d, audited: true };
}

/**
 * clientCredentialsGrant: an authenticated client gets a token for its own account. An account
 * that may not obtain tokens is refused with `accountRefusal`: invalid_client on
 * /api/oauth/token (indistinguishable from a wrong secret), unauthorized_client (403) in the
 * vendor flows that document it.
 */
export async function clientCredentialsGrant(
  principal: Principal,
  attempt: TokenAttempt,
  ctx: TokenCallContext,
  scope: string | null,
  narrowing?: Narrowing,
  accountRefusal: 'invalid_client' | 'unauthorized_client' = 'unauthorized_client',
): Promise<GrantOutcome> {
  assertAccountUsable(principal, ctx.meta.ip, accountRefusal);
  const scopes = resolveScopes(scope, principal.account.scopes);
  const bound = narrowing ? await resolveNarrowing(principal, narrowing) : NO_NARROWING;
  return issueFor(principal, attempt, ctx, scopes, bound);
}

/** assertionGrant (RFC 7523 §2.1 and the High Mobility flow): a signed assertion is the grant. */
export async function assertionGrant(
  assertion: string,
  options: Omit<AssertionOptions, 'errorCode'>,
  attempt: TokenAttempt,
  ctx: TokenCallContext,
  scope: string | null,
  client: Principal | null = null,
): Promise<GrantOutcome> {
  const { principal } = await verifyAssertion(assertion, {
    ...options,
    errorCode: 'invalid_grant',
    onPrincipal: (p) => (attempt.principal = p),
  });
  attempt.principal = principal;
  attempt.clientId = principal.credentialId;
  if (client && client.account.id !== principal.account.id)
    refuse('invalid_grant', 'assertion_other_client', 'The assertion belongs to another service account.');
  assertCredentialUsable(principal, 'invalid_grant');
  assertAccountUsable(principal, ctx.meta.ip, 'invalid_grant');
  return issueFor(principal, attempt, ctx, resolveScopes(scope, principal.account.scopes));
}

/**
 * refreshGrant rotates a refresh token: the presented token is consumed and a successor of the
 * same family issued in one transaction, with the audit event. A token used twice (a stolen
 * copy, or a replay) revokes its whole family and is refused; parallel requests with the same
 * token get one success at most.
 */
export async function refreshGrant(
  presented: string,
  attempt: TokenAttempt,
  ctx: TokenCallContext,
  scope: string | null,
  client: Principal | null,
): Promise<GrantOutcome> {
  const stored = await findRefreshToken(presented);
  if (!stored) refuse('invalid_grant', 'unknown_refresh_token', 'The refresh token is invalid, expired or revoked.');
  const principal = stored.clientTokenPairId ? await findClientTokenPair({ id: stored.clientTokenPairId }) : null;
  if (!principal) refuse('invalid_grant', 'unknown_refresh_token', 'The refresh token is invalid, expired or revoked.');
  attempt.principal = principal;
  attempt.clientId = principal.credentialId;
  if (client && client.account.id !== principal.account.id)
    refuse('invalid_grant', 'refresh_token_other_client', 'The refresh token was issued to another client.');
  if (stored.revokedAt)
    refuse('invalid_grant', 'refresh_token_revoked', 'The refresh token is invalid, expired or revoked.');
  if (stored.expiresAt.getTime() <= Date.now())
    refuse('invalid_grant', 'refresh_token_expired', 'The refresh token is invalid, expired or revoked.');
  assertCredentialUsable(principal, 'invalid_grant');
  assertAccountUsable(principal, ctx.meta.ip, 'invalid_grant');
  // The refresh grant never widens: the original scopes, minus any the account has lost since.
  const original = stored.scope.split(' ').filter(Boolean);
  const scopes = resolveScopes(
    scope,
    original.filter((s) => principal.account.scopes.includes(s)),
  );
  const narrowing = { projectId: stored.projectId, environmentId: stored.environmentId };
  const minted = await mintAccessToken({
    serviceAccountId: principal.account.id,
    clientId: principal.credentialId,
    scopes,
    lifetimeSeconds: principal.account.tokenLifetimeSeconds,
    ...narrowing,
  });
  const d = details(minted, narrowing, true);
  try {
    const refreshToken = await db.$transaction(async (tx) => {
      await consumeRefreshToken(tx, stored);
      const token = await issueRefreshToken(
        tx,
        principal,
        { scopes: original, ...narrowing },
        { jti: minted.jti, expiresAt: minted.expiresAt },
        { familyId: stored.familyId, parentId: stored.id },
      );
      await recordAuditEvent(tx, issuedEvent(attempt, ctx.meta, ctx.endpoint, d));
      return token;
    });
    return { principal, result: tokenResult(minted, { refresh_token: refreshToken }), details: d, audited: true };
  } catch (error) {
    if (!(error instanceof TokenRefusal) || error.reason !== 'refresh_token_reused') throw error;
    // Reuse: revoke the family and record the refusal together.
    await db.$transaction(async (tx) => {
      await revokeRefreshFamily(tx, stored.familyId);
      await recordAuditEvent(
        tx,
        refusedEvent(attempt, ctx.meta, ctx.endpoint, 'invalid_grant', 'refresh_token_reused'),
      );
    });
    error.audited = true;
    throw error;
  }
}

/**
 * tokenExchangeGrant (RFC 8693): trade a valid access token for a narrower one, bound to a
 * project/environment and/or fewer scopes. The subject token must be active (lifecycle rules
 * included); a client that authenticates must own it; the new token never outlives it.
 */
export async function tokenExchangeGrant(
  form: URLSearchParams,
  attempt: TokenAttempt,
  ctx: TokenCallContext,
  client: Principal | null,
): Promise<GrantOutcome> {
  const subjectToken = form.get('subject_token');
  if (!subjectToken) refuse('invalid_request', 'subject_token_missing', 'subject_token is required.');
  if (form.get('subject_token_type') !== ACCESS_TOKEN_TYPE_URN)
    refuse('invalid_request', 'subject_token_type', `subject_token_type must be ${ACCESS_TOKEN_TYPE_URN}.`);
  const requestedType = form.get('requested_token_type');
  if (requestedType !== null && requestedType !== ACCESS_TOKEN_TYPE_URN && requestedType !== JWT_TOKEN_TYPE_URN) {
    refuse('invalid_request', 'requested_token_type', 'Only access tokens can be requested.');
  }
  if (form.get('actor_token') !== null)
    refuse('invalid_request', 'delegation_unsupported', 'Delegation (actor_token) is not supported.');
  const subject = await activeAccessToken(subjectToken);
  if (!subject) refuse('invalid_grant', 'subject_token_inactive', 'The subject token is invalid, expired or revoked.');
  const principal = await findPrincipalByCredentialId(subject.claims.client_id);
  if (!principal || principal.account.id !== subject.claims.sub)
    refuse('invalid_grant', 'subject_token_inactive', 'The subject token is invalid, expired or revoked.');
  attempt.principal = principal;
  attempt.clientId = principal.credentialId;
  if (client && client.account.id !== principal.account.id)
    refuse('invalid_grant', 'subject_token_other_client', 'The subject token belongs to another service account.');
  assertAccountUsable(principal, ctx.meta.ip, 'invalid_grant');
  const held = subject.scopes.filter((s) => principal.account.scopes.includes(s));
  const scopes = resolveScopes(form.get('scope'), held);
  const narrowing = await resolveNarrowing(
    principal,
    { projectId: form.get('project_id'), environmentId: form.get('environment_id') },
    { projectId: subject.claims.project_id ?? null, environmentId: subject.claims.environment_id ?? null },
  );
  const remaining = subject.claims.exp - Math.floor(Date.now() / 1000);
  const lifetimeSeconds = Math.max(1, Math.min(principal.account.tokenLifetimeSeconds, remaining));
  const rootJti = subject.claims.root_jti ?? subject.claims.jti;
  const minted = await mintAccessToken({
    serviceAccountId: principal.account.id,
    clientId: principal.credentialId,
    scopes,
    lifetimeSeconds,
    ...narrowing,
    rootJti,
  });
  return {
    principal,
    result: tokenResult(minted, { issued_token_type: ACCESS_TOKEN_TYPE_URN }),
    details: details(minted, narrowing),
  };
}

// ------------------------------------------------------------------------------------------
// The standard endpoint: POST /api/oauth/token
// ------------------------------------------------------------------------------------------

function presentedClientId(form: URLSearchParams, authorization: string | null): string | null {
  if (authorization && /^Basic\s/i.test(authorization)) return parseBasic(authorization)?.id ?? null;
  const assertion =
    form.get('client_assertion') ?? (form.get('grant_type') === GRANT.jwtBearer ? form.get('assertion') : null);
  if (assertion) {
    try {
      const iss = decodeJwt(assertion).iss;
      return typeof iss === 'string' ? iss : null;
    } catch {
      return null;
    }
  }
  return form.get('client_id');
}

/**
 * exchangeToken serves POST /api/oauth/token (RFC 6749 §3.2) from its form parameters and
 * Authorization header. Parameters may not repeat (RFC 6749 §3.2); grant types:
 * client_credentials, jwt-bearer (RFC 7523), refresh_token, token-exchange (RFC 8693).
 * Throws AppError/TokenRefusal with RFC 6749 codes; lib/oauth/errors.ts renders them.
 */
export async function exchangeToken(
  form: URLSearchParams,
  authorization: string | null,
  ctx: TokenCallContext,
): Promise<TokenResult> {
  const grantType = form.get('grant_type') ?? '';
  const cacheable = grantType === GRANT.clientCredentials;
  return runGrant(
    grantType || '(none)',
    ctx,
    presentedClientId(form, authorization),
    async (attempt) => {
      const keys = [...form.keys()];
      if (new Set(keys).size !== keys.length)
        refuse('invalid_request', 'repeated_parameter', 'A parameter was sent more than once.');
      if (!grantType) refuse('invalid_request', 'grant_type_missing', 'grant_type is required.');
      const known = Object.values(GRANT) as string[];
      if (!known.includes(grantType))
        refuse(
          'unsupported_grant_type',
          'unsupported_grant_type',
          `Unsupported grant_type. Supported: ${known.join(', ')}.`,
        );

      const client = await authenticateClient(authorization, form, attempt);
      switch (grantType) {
        case GRANT.clientCredentials:
          if (!client) refuse('invalid_client', 'no_client_auth', 'Client authentication is required.');
          return clientCredentialsGrant(client.principal, attempt, ctx, form.get('scope'), undefined, 'invalid_client');
        case GRANT.jwtBearer: {
          const assertion = form.get('assertion');
          if (!assertion) refuse('invalid_request', 'assertion_missing', 'assertion is required.');
          return assertionGrant(
            assertion,
            { audiences: [tokenUrl(), issuerUrl()], requireExp: true },
            attempt,
            ctx,
            form.get('scope'),
            client?.principal ?? null,
          );
        }
        case GRANT.refreshToken: {
          const token = form.get('refresh_token');
          if (!token) refuse('invalid_request', 'refresh_token_missing', 'refresh_token is required.');
          return refreshGrant(token, attempt, ctx, form.get('scope'), client?.principal ?? null);
        }
        default:
          return tokenExchangeGrant(form, attempt, ctx, client?.principal ?? null);
      }
    },
    { cacheable },
  );
}
