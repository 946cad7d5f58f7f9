import 'server-only';
import type { Principal } from '@/lib/credentials/principals';
import type { TokenAttempt } from '../attempt';
import { assertAccountUsable } from '../client-auth';
import { issueFor, NO_NARROWING, resolveScopes } from '../issue-token';
import { resolveNarrowing, type Narrowing } from '../narrowing';
import { refuse } from '../refusal';
import type { GrantHandler, GrantOutcome, TokenCallContext } from './types';

/**
 * clientCredentialsGrant: an authenticated client gets a token for its own account. An account
 * that may not obtain tokens is refused with `accountRefusal`: invalid_client on
 * /api/oauth/token (indistinguishable from a wrong secret), unauthorized_client (403) in the
 * vendor flows that document it. The compat flows call it after their own client authentication.
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

/** client_credentials (RFC 6749 §4.4): client authentication is required and is the grant. */
export const clientCredentials: GrantHandler = {
  type: 'client_credentials',
  cacheable: true,
  handle({ form, client, attempt, ctx }) {
    if (!client) refuse('invalid_client', 'no_client_auth', 'Client authentication is required.');
    return clientCredentialsGrant(client.principal, attempt, ctx, form.get('scope'), undefined, 'invalid_client');
  },
};
