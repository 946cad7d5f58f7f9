import 'server-only';
import { findPrincipalByCredentialId } from '@/lib/credentials/principals';
import { activeAccessToken } from '@/lib/tokens/token-state';
import { assertAccountUsable } from '../client-auth';
import { issuedDetails, mintFor, resolveScopes, tokenResult } from '../issue-token';
import { resolveNarrowing } from '../narrowing';
import { refuse } from '../refusal';
import {
  FEDERATED_SUBJECT_TYPES,
  federatedExchangeGrant,
  ID_TOKEN_TYPE_URN,
  JWT_TOKEN_TYPE_URN,
} from './federated-exchange';
import type { GrantHandler, GrantRequest, GrantOutcome } from './types';

export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const ACCESS_TOKEN_TYPE_URN = 'urn:ietf:params:oauth:token-type:access_token';
const SUBJECT_TYPES = [ACCESS_TOKEN_TYPE_URN, JWT_TOKEN_TYPE_URN, ID_TOKEN_TYPE_URN].join(', ');
const SUBJECT_REFUSED = 'The subject_token is invalid, expired, revoked or not acceptable here.';

/**
 * tokenExchangeGrant (RFC 8693): trade a valid access token for a narrower one, bound to a
 * project/environment and/or fewer scopes, or a workload platform's token (subject_token_type
 * jwt or id_token) for an access token of a federated credential's account. The subject token must be active (lifecycle rules
 * included); a client that authenticates must own it; the new token never outlives it.
 */
export async function tokenExchangeGrant(request: GrantRequest): Promise<GrantOutcome> {
  const { form, client, attempt, ctx } = request;
  const subjectToken = form.get('subject_token');
  if (!subjectToken) refuse('invalid_request', 'subject_token_missing', 'subject_token is required.');
  const subjectType = form.get('subject_token_type');
  if (subjectType === null)
    refuse('invalid_request', 'subject_token_type', `subject_token_type is required: ${SUBJECT_TYPES}.`);
  if (subjectType !== ACCESS_TOKEN_TYPE_URN && !FEDERATED_SUBJECT_TYPES.has(subjectType))
    refuse('invalid_request', 'subject_token_type', `subject_token_type must be one of: ${SUBJECT_TYPES}.`);
  const requestedType = form.get('requested_token_type');
  if (requestedType !== null && requestedType !== ACCESS_TOKEN_TYPE_URN && requestedType !== JWT_TOKEN_TYPE_URN) {
    refuse('invalid_request', 'requested_token_type', 'Only access tokens can be requested.');
  }
  if (form.get('actor_token') !== null)
    refuse('invalid_request', 'delegation_unsupported', 'Delegation (actor_token) is not supported.');
  // A workload platform's token (issue 12): a federated credential decides (federated-exchange.ts).
  if (FEDERATED_SUBJECT_TYPES.has(subjectType))
    return federatedExchangeGrant(request, subjectToken, ACCESS_TOKEN_TYPE_URN);
  // RFC 8693 §2.2.2: a subject token that is invalid for any reason (unknown, expired, revoked,
  // issued elsewhere, another client's) is invalid_request, with one description.
  const subject = await activeAccessToken(subjectToken);
  if (!subject) refuse('invalid_request', 'subject_token_inactive', SUBJECT_REFUSED);
  const principal = await findPrincipalByCredentialId(subject.claims.client_id);
  if (!principal || principal.account.id !== subject.claims.sub)
    refuse('invalid_request', 'subject_token_inactive', SUBJECT_REFUSED);
  attempt.identified(principal);
  if (client && client.principal.account.id !== principal.account.id)
    refuse('invalid_request', 'subject_token_other_client', SUBJECT_REFUSED);
  assertAccountUsable(principal, ctx.meta.ip, 'invalid_grant');
  const held = subject.scopes.filter((s) => principal.account.scopes.includes(s));
  const scopes = resolveScopes(form.get('scope'), held, 'subject_token');
  const narrowing = await resolveNarrowing(
    principal,
    { projectId: form.get('project_id'), environmentId: form.get('environment_id') },
    { projectId: subject.claims.project_id ?? null, environmentId: subject.claims.environment_id ?? null },
  );
  const remaining = subject.claims.exp - Math.floor(Date.now() / 1000);
  const lifetimeSeconds = Math.max(1, Math.min(principal.account.tokenLifetimeSeconds, remaining));
  const rootJti = subject.claims.root_jti ?? subject.claims.jti;
  // A DPoP-bound subject token is exchanged only with a proof by its key: otherwise whoever stole
  // it could trade it for a token bound to another key, or for a bearer token.
  const minted = await mintFor(
    principal,
    attempt,
    {
      scopes,
      lifetimeSeconds,
      ...narrowing,
      rootJti,
      // A narrower token of a federated workload still names it.
      external:
        subject.claims.external_iss && subject.claims.external_sub
          ? { issuer: subject.claims.external_iss, subject: subject.claims.external_sub }
          : null,
    },
    { jkt: subject.claims.cnf?.jkt ?? null, what: 'subject token' },
  );
  return {
    principal,
    result: tokenResult(minted, { issued_token_type: ACCESS_TOKEN_TYPE_URN }),
    details: issuedDetails(minted, narrowing),
  };
}

/** token-exchange (RFC 8693 §2). */
export const tokenExchange: GrantHandler = {
  type: TOKEN_EXCHANGE_GRANT,
  cacheable: false,
  handle: tokenExchangeGrant,
};
