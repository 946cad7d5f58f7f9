import 'server-only';
import type { RequestMeta } from '@/lib/audit/actor';
import { TOKEN_ISSUED, TOKEN_REFUSED } from '@/lib/audit/actions';
import type { AuditEventInput } from '@/lib/audit/record-audit-event';
import type { TokenAttempt } from './attempt';

export type IssuedDetails = {
  scope: string;
  jti: string;
  expires_in: number;
  refresh_token_issued?: boolean;
  /** The refresh-token family the issuance started or continued. */
  family_id?: string;
  project_id?: string;
  environment_id?: string;
  /** DPoP: the thumbprint of the key the tokens are bound to (public, not a secret). */
  dpop_jkt?: string;
  /** Token exchange: the jti of the chain's first token, whose revocation revokes this one too. */
  root_jti?: string;
};

function base(attempt: TokenAttempt, meta: RequestMeta, surface: string) {
  const account = attempt.principal?.account;
  return {
    organizationId: account?.organizationId ?? null,
    // An unknown client has no organization: its refusal goes to the instance chain.
    actor: account
      ? ({ type: 'SERVICE_ACCOUNT', id: account.id, label: account.name } as const)
      : ({ type: 'SYSTEM', id: null, label: 'anonymous client' } as const),
    target: { type: 'service_account', id: account?.id ?? null },
    meta,
    common: {
      grant_type: attempt.grantType,
      client_id: attempt.clientId,
      endpoint: surface,
      // A federated credential names the external identity it verified (never the external token).
      ...(attempt.external
        ? {
            federated_credential_id: attempt.clientId,
            external_issuer: attempt.external.issuer,
            external_subject: attempt.external.subject,
          }
        : {}),
    },
  };
}

/** issuedEvent is the one TOKEN_ISSUED event of an issuance: ids, scope, lifetime; never a token. */
export function issuedEvent(
  attempt: TokenAttempt,
  meta: RequestMeta,
  surface: string,
  details: IssuedDetails,
): AuditEventInput {
  const b = base(attempt, meta, surface);
  return {
    organizationId: b.organizationId,
    actor: b.actor,
    action: TOKEN_ISSUED,
    target: b.target,
    outcome: 'SUCCESS',
    meta,
    details: {
      ...b.common,
      ...details,
      // A client assertion with the token endpoint URL as aud (LATCHKEY_LEGACY_ASSERTION_AUDIENCE=on).
      ...(attempt.deprecatedAssertionAudience ? { deprecated_assertion_audience: true } : {}),
    },
  };
}

/** refusedEvent is the one TOKEN_REFUSED event of a refusal, with its stable reason code (and `extra` ids, e.g. the refresh-token family; never a secret). */
export function refusedEvent(
  attempt: TokenAttempt,
  meta: RequestMeta,
  surface: string,
  error: string,
  reason: string,
  extra: Record<string, string> = {},
): AuditEventInput {
  const b = base(attempt, meta, surface);
  return {
    organizationId: b.organizationId,
    actor: b.actor,
    action: TOKEN_REFUSED,
    target: b.target,
    outcome: 'FAILURE',
    meta,
    details: { ...b.common, ...extra, error, reason },
  };
}
