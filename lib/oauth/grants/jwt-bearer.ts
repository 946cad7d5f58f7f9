import 'server-only';
import type { Principal } from '@/lib/credentials/principals';
import { issuerUrl, tokenUrl } from '@/lib/issuer';
import { verifyAssertion, type AssertionOptions } from '../assertion';
import type { TokenAttempt } from '../attempt';
import { assertAccountUsable, assertCredentialUsable } from '../client-auth';
import { issueFor, resolveScopes } from '../issue-token';
import { refuse } from '../refusal';
import type { GrantHandler, GrantOutcome, TokenCallContext } from './types';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/**
 * assertionGrant (RFC 7523 §2.1 and the High Mobility flow): a signed assertion is the grant.
 * `client`, when the request also authenticated a client, must be of the same account.
 */
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
    onPrincipal: (p) => attempt.identified(p),
  });
  if (client && client.account.id !== principal.account.id)
    refuse('invalid_grant', 'assertion_other_client', 'The assertion belongs to another service account.');
  assertCredentialUsable(principal, 'invalid_grant');
  assertAccountUsable(principal, ctx.meta.ip, 'invalid_grant');
  return issueFor(principal, attempt, ctx, resolveScopes(scope, principal.account.scopes));
}

/** jwt-bearer (RFC 7523 §2.1): `aud` a single string, the token URL or the issuer; `exp` required. */
export const jwtBearer: GrantHandler = {
  type: JWT_BEARER_GRANT,
  cacheable: false,
  handle({ form, client, attempt, ctx }) {
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
  },
};
