import 'server-only';
import { authenticateFederated } from '@/lib/federation/authenticate';
import { assertAccountUsable } from '../client-auth';
import { issueFor, resolveScopes } from '../issue-token';
import { resolveNarrowing } from '../narrowing';
import { refuse } from '../refusal';
import type { GrantOutcome, GrantRequest } from './types';

export const JWT_TOKEN_TYPE_URN = 'urn:ietf:params:oauth:token-type:jwt';
export const ID_TOKEN_TYPE_URN = 'urn:ietf:params:oauth:token-type:id_token';
/** subject_token_type values that carry a workload platform's token (issue 12). */
export const FEDERATED_SUBJECT_TYPES: ReadonlySet<string> = new Set([JWT_TOKEN_TYPE_URN, ID_TOKEN_TYPE_URN]);

/**
 * federatedExchangeGrant (RFC 8693 with an external subject token): a workload trades its
 * platform's token (GitHub Actions, GitLab CI, Kubernetes, SPIFFE, any OIDC issuer) for a
 * Latchkey access token of the account whose federated credential `client_id` (fc_…) names,
 * optionally narrowed to a project, environment and fewer scopes. The subject token is the
 * client's authentication, so no other client credentials may come with it, and a refusal is
 * the invalid_client of any failed client authentication (reason in the audit log). The token
 * lives the account's token lifetime: the external token is evidence of who the workload is at
 * this moment, as a client assertion is, not a token to be narrowed.
 */
export async function federatedExchangeGrant(
  { form, client, attempt, ctx }: GrantRequest,
  subjectToken: string,
  issuedTokenType: string,
): Promise<GrantOutcome> {
  if (client)
    refuse(
      'invalid_request',
      'federated_exchange_client_auth',
      'A jwt or id_token subject token authenticates the client itself: send client_id (fc_…) and no other client credentials.',
    );
  const clientId = form.get('client_id');
  if (!clientId)
    refuse(
      'invalid_request',
      'client_id_missing',
      'client_id (the federated credential id, fc_…) is required with a jwt or id_token subject token.',
    );
  const principal = await authenticateFederated(clientId, subjectToken, attempt);
  assertAccountUsable(principal, ctx.meta.ip, 'invalid_client');
  const scopes = resolveScopes(form.get('scope'), principal.account.scopes);
  const narrowing = await resolveNarrowing(principal, {
    projectId: form.get('project_id'),
    environmentId: form.get('environment_id'),
  });
  const outcome = await issueFor(principal, attempt, ctx, scopes, narrowing);
  return { ...outcome, result: { ...outcome.result, issued_token_type: issuedTokenType } };
}
