import 'server-only';
import { env } from '@/lib/env';
import { paths } from '@/lib/paths';
import type { EventCredentialKind, EventData } from './catalog';

/** The organization as events name it: an OrgContext has both fields already. */
export type EventOrg = { orgId: string; orgSlug: string };

/** consoleUrl makes a console path absolute, on the console's public origin (NEXTAUTH_URL). */
export function consoleUrl(path: string): string {
  return new URL(path, env().NEXTAUTH_URL).toString();
}

const CREDENTIAL_PAGE: Record<EventCredentialKind, (slug: string, accountId: string) => string> = {
  client_secret: paths.serviceAccountSecrets,
  key_pair: paths.serviceAccountKeys,
  client_token_pair: paths.serviceAccountKeys,
  federated_credential: paths.serviceAccount,
};

/**
 * credentialSubject is the data of every credential.* event: the organization, the account, the
 * credential (id, kind, name and expiry when known) and the account's credential page.
 */
export function credentialSubject(
  org: EventOrg,
  kind: EventCredentialKind,
  credential: { id: string; name?: string | null; expiresAt?: Date | string | null },
  account: { id: string; name: string },
): EventData<'credential.created'> {
  const expiresAt = credential.expiresAt ? new Date(credential.expiresAt).toISOString() : undefined;
  return {
    organization: { id: org.orgId, slug: org.orgSlug },
    serviceAccount: { id: account.id, name: account.name },
    credential: {
      id: credential.id,
      kind,
      ...(credential.name ? { name: credential.name } : {}),
      ...(expiresAt ? { expiresAt } : {}),
    },
    links: { console: consoleUrl(CREDENTIAL_PAGE[kind](org.orgSlug, account.id)) },
  };
}

/** accountSubject is the data of every service_account.* event. */
export function accountSubject(
  org: EventOrg,
  account: { id: string; name: string },
): EventData<'service_account.suspended'> {
  return {
    organization: { id: org.orgId, slug: org.orgSlug },
    serviceAccount: { id: account.id, name: account.name },
    links: { console: consoleUrl(paths.serviceAccount(org.orgSlug, account.id)) },
  };
}

/** memberSubject is the data of member.added and member.removed. */
export function memberSubject(
  org: EventOrg,
  member: { userId: string; email: string; role: 'OWNER' | 'ADMIN' | 'AUDITOR' },
): EventData<'member.added'> {
  return {
    organization: { id: org.orgId, slug: org.orgSlug },
    member,
    links: { console: consoleUrl(paths.members(org.orgSlug)) },
  };
}

/** reuseSubject is the data of refresh_token.reuse_detected, from the token pair's principal. */
export function reuseSubject(
  account: { id: string; name: string; organizationId: string; orgSlug: string },
  tokenPairId: string,
  familyId: string,
): EventData<'refresh_token.reuse_detected'> {
  const org = { orgId: account.organizationId, orgSlug: account.orgSlug };
  return {
    ...accountSubject(org, account),
    credential: { id: tokenPairId, kind: 'client_token_pair' },
    refreshTokenFamily: { id: familyId },
    links: { console: consoleUrl(paths.serviceAccountTokens(org.orgSlug, account.id)) },
  };
}

/** chainBreakSubject is the data of audit_chain.verification_failed. */
export function chainBreakSubject(
  org: EventOrg,
  checked: number,
  broken: { seq: string; reason: string },
): EventData<'audit_chain.verification_failed'> {
  return {
    organization: { id: org.orgId, slug: org.orgSlug },
    auditLog: { firstBrokenSeq: broken.seq, reason: broken.reason, checked },
    links: { console: consoleUrl(paths.audit(org.orgSlug)) },
  };
}
