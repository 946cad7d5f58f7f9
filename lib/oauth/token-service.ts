import 'server-only';
import { recordTokenEvent, StaleCredential, type CredentialUse } from '@/lib/audit/token-event-writer';
import { forgetClientSecret } from '@/lib/credentials/principals';
import { AppError } from '@/lib/errors';
import { logger } from '@/lib/logger';
import { moduleState } from '@/lib/process-state';
import { purgeRevokedTokens } from '@/lib/tokens/token-state';
import { purgeUsedAssertions } from './assertion';
import { TokenAttempt } from './attempt';
import { purgeUsedProofs, type DpopPresentation } from './dpop';
import { auditableClientId } from './client-id';
import type { GrantOutcome, TokenCallContext, TokenResult } from './grants/types';
import { resetTokenRateLimits, settledOutcome, tokenRateLimits } from './rate-limits';
import { refusalReason, TokenRefusal } from './refusal';
import { issuedEvent, refusedEvent } from './token-audit';

/**
 * The frame around every issuance, whichever endpoint asked (POST /api/oauth/token through
 * lib/oauth/token-endpoint.ts and the grants registry, and the compat flows in lib/compat/):
 * rate limits, one decision (twice when a cached copy was not good enough), one audit event.
 */

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
  void Promise.all([purgeUsedAssertions(), purgeRevokedTokens(), purgeUsedProofs()]).catch((error: unknown) =>
    logger.warn({ err: error }, 'token state purge failed'),
  );
}

/** limitCaller admits a request under the token service's rate limits (lib/oauth/rate-limits.ts; also used by introspection and revocation). */
export async function limitCaller(ip: string | null, clientId: string | null): Promise<void> {
  await tokenRateLimits().admit(ip, clientId);
}

/** How a grant runs: on a cached copy first (`cacheable`), and with the request's DPoP proof, if any. */
export type GrantOptions = { cacheable?: boolean; dpop?: DpopPresentation };

/** A decision: the answer, or "decide again on fresh data" (a cached copy was not good enough). */
type Decision = { decided: TokenResult } | { again: true };
const AGAIN: Decision = { again: true };

/**
 * runGrant is the frame around every issuance, whichever endpoint asked: rate limits (per IP,
 * then per presented client id), the grant itself, and exactly one audit event, TOKEN_ISSUED or
 * TOKEN_REFUSED with a stable reason, committed before the answer leaves (so no token exists
 * that the log does not know), and the credential's last use. Never logs a secret or a token.
 *
 * A `cacheable` grant (client_credentials) may be decided on a cached copy of its client secret
 * (lib/credentials/principals.ts findClientSecret). That copy never has the last word: the audit batch commits
 * the issuance only if the secret and its account are unchanged, and a refusal is not recorded
 * before the same request was decided again on fresh data. Either way the grant then runs once
 * more, without the cache.
 *
 * With `dpop`, the request's DPoP proof is verified when the grant first asks for it
 * (TokenAttempt.dpopProof, from the mint: lib/oauth/issue-token.ts mintFor), once for both
 * decisions, so a request decided twice spends its proof's jti once.
 */
export async function runGrant(
  grantType: string,
  ctx: TokenCallContext,
  presentedClientId: string | null,
  grant: (attempt: TokenAttempt) => Promise<GrantOutcome>,
  options: GrantOptions = {},
): Promise<TokenResult> {
  const clientId = auditableClientId(presentedClientId);
  purgeExpiredState();
  try {
    await limitCaller(ctx.meta.ip, clientId);
  } catch (error) {
    await recordTokenEvent(
      refusedEvent(
        new TokenAttempt(grantType, clientId),
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
  options: GrantOptions,
): Promise<TokenResult> {
  // Both decisions share the request's DPoP presentation: its proof is verified (and its jti spent) once.
  const { dpop } = options;
  if (options.cacheable) {
    const first = await decide(new TokenAttempt(grantType, clientId, { cache: true, dpop }), ctx, grant);
    if ('decided' in first) return first.decided;
  }
  const fresh = await decide(new TokenAttempt(grantType, clientId, { dpop }), ctx, grant);
  if ('decided' in fresh) return fresh.decided;
  // Only a decision on a cached copy asks to be made again; a fresh one never does.
  throw new AppError('internal', 'The token request could not be decided.');
}

async function decide(
  attempt: TokenAttempt,
  ctx: TokenCallContext,
  grant: (attempt: TokenAttempt) => Promise<GrantOutcome>,
): Promise<Decision> {
  let outcome: GrantOutcome;
  try {
    outcome = await grant(attempt);
  } catch (error) {
    if (attempt.decidedOnCache && error instanceof TokenRefusal) return AGAIN;
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
    if (!principal.fromCache) throw error;
    return AGAIN;
  }
  return { decided: outcome.result };
}

/** refuseUnreadable audits the refusal of a request whose body could not even be read, then rethrows. */
export async function refuseUnreadable(grantType: string, ctx: TokenCallContext, error: unknown): Promise<never> {
  await runGrant(grantType, ctx, null, async () => {
    throw error;
  });
  throw error;
}
