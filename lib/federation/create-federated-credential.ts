import 'server-only';
import { assertCan } from '@/lib/auth/assert-can';
import { assertMayIssueCredentialFor } from '@/lib/auth/grant-rules';
import type { OrgContext } from '@/lib/auth/context';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { credentialExpiry } from '@/lib/credentials/expiry';
import { db } from '@/lib/db/client';
import type { Prisma } from '@/lib/db/generated/client';
import { AppError } from '@/lib/errors';
import { newId } from '@/lib/ids';
import { assertNotRevoked, lockAccount } from '@/lib/service-accounts/lock-account';
import { federatedCredentialSelect, toFederatedCredentialDto } from './dto';
import { assertFetchable, KeySourceError } from './jwks';
import {
  MAX_ENABLED_FEDERATED_CREDENTIALS,
  type CreateFederatedCredentialInput,
  type FederatedCredentialDto,
} from './schema';

/** assertAllowedHost refuses, as a field error, a URL on a host outside FEDERATION_ALLOWED_ISSUER_HOSTS. */
function assertAllowedHost(url: string, field: 'issuer' | 'jwksUri'): void {
  try {
    assertFetchable(url);
  } catch (error) {
    if (!(error instanceof KeySourceError)) throw error;
    throw new AppError('validation_failed', error.message, { fields: { [field]: [error.message] } });
  }
}

/**
 * createFederatedCredential adds a trust policy for an external issuer to an account of the
 * caller's organization (issue 12). The input is validated by createFederatedCredentialInput;
 * here the issuer's (and JWKS URL's) host must be allowed (FEDERATION_ALLOWED_ISSUER_HOSTS),
 * the caller may hand over the account's grants (assertMayIssueCredentialFor: whoever matches
 * the policy mints the account's tokens), the account is not revoked (account_revoked), and it
 * has fewer than 20 enabled federated credentials (limit_exceeded). Nothing is fetched: the
 * dry-run tester checks a policy against a real token. Audited `federated_credential.created`
 * (issuer, audience, subject, conditions: all public) in the same transaction.
 */
export async function createFederatedCredential(
  ctx: OrgContext,
  accountId: string,
  input: CreateFederatedCredentialInput,
): Promise<FederatedCredentialDto> {
  assertCan(ctx, 'service_accounts.write');
  assertAllowedHost(input.issuer, 'issuer');
  if (input.jwksUri) assertAllowedHost(input.jwksUri, 'jwksUri');
  return db.$transaction(async (tx) => {
    const account = await lockAccount(tx, ctx, accountId);
    assertNotRevoked(account);
    await assertMayIssueCredentialFor(tx, ctx, accountId);
    const enabled = await tx.federatedCredential.count({
      where: { serviceAccountId: accountId, organizationId: ctx.orgId, status: 'ENABLED' },
    });
    if (enabled >= MAX_ENABLED_FEDERATED_CREDENTIALS)
      throw new AppError(
        'limit_exceeded',
        `An account may have at most ${MAX_ENABLED_FEDERATED_CREDENTIALS} enabled federated credentials: disable or delete one first.`,
      );
    const expiresAt = await credentialExpiry(tx, ctx.orgId, input.expiresAt);
    const row = await tx.federatedCredential.create({
      data: {
        id: newId('federatedCredential'),
        organizationId: ctx.orgId,
        serviceAccountId: accountId,
        name: input.name,
        template: input.template ?? null,
        issuer: input.issuer,
        keySource: input.keySource,
        jwksUri: input.jwksUri ?? null,
        inlineJwks: input.inlineJwks
          ? (JSON.parse(JSON.stringify(input.inlineJwks)) as Prisma.InputJsonObject)
          : undefined,
        audience: input.audience,
        subjectMatch: input.subjectMatch,
        subject: input.subject,
        claimConditions: input.claimConditions,
        allowedAlgorithms: input.allowedAlgorithms,
        maxTokenAgeSeconds: input.maxTokenAgeSeconds,
        status: 'ENABLED',
        expiresAt,
        createdById: ctx.actor.type === 'MEMBER' ? ctx.actor.id : null,
      },
      select: federatedCredentialSelect,
    });
    await recordAuditEvent(tx, {
      organizationId: ctx.orgId,
      actor: ctx.actor,
      action: 'federated_credential.created',
      target: { type: 'federated_credential', id: row.id },
      meta: ctx,
      details: {
        serviceAccountId: accountId,
        serviceAccountName: account.name,
        name: row.name,
        template: row.template,
        issuer: row.issuer,
        keySource: row.keySource,
        audience: row.audience,
        subjectMatch: row.subjectMatch,
        subject: row.subject,
        claimConditions: input.claimConditions,
        allowedAlgorithms: row.allowedAlgorithms,
        maxTokenAgeSeconds: row.maxTokenAgeSeconds,
        expiresAt: row.expiresAt.toISOString(),
      },
    });
    return toFederatedCredentialDto(row);
  });
}
