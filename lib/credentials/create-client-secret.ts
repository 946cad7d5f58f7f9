import 'server-only';
import { assertCan } from '@/lib/auth/assert-can';
import { emitEvent } from '@/lib/events/emit-event';
import { credentialSubject } from '@/lib/events/subjects';
import { assertMayIssueCredentialFor } from '@/lib/auth/grant-rules';
import type { OrgContext } from '@/lib/auth/context';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { keyedHash } from '@/lib/crypto/keyed-hash';
import { db, type Tx } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { newId } from '@/lib/ids';
import { assertNotRevoked, lockAccount } from '@/lib/service-accounts/lock-account';
import {
  MAX_ENABLED_SECRETS,
  type CreateClientSecretInput,
  type CreatedClientSecretDto,
} from '@/lib/service-accounts/schema';
import { clientSecretSelect, toClientSecretDto } from './dto';
import { credentialExpiry } from './expiry';
import { generateSecret, secretHint } from './secret-format';

/**
 * insertClientSecret stores a new secret for a locked account (only its keyed hash, key
 * version and hint) and returns the plaintext once. Enforces MAX_ENABLED_SECRETS.
 */
export async function insertClientSecret(
  tx: Tx,
  ctx: OrgContext,
  accountId: string,
  name: string,
  expiresAt: Date,
  replacesId: string | null = null,
) {
  const enabled = await tx.clientSecret.count({
    where: { serviceAccountId: accountId, organizationId: ctx.orgId, status: 'ENABLED' },
  });
  if (enabled >= MAX_ENABLED_SECRETS) {
    throw new AppError(
      'limit_exceeded',
      `An account may have at most ${MAX_ENABLED_SECRETS} enabled client secrets: disable or delete one first.`,
    );
  }
  const secret = generateSecret('clientSecret');
  const { hash, keyVersion } = keyedHash(secret);
  const row = await tx.clientSecret.create({
    data: {
      id: newId('clientSecret'),
      organizationId: ctx.orgId,
      serviceAccountId: accountId,
      name,
      secretHash: new Uint8Array(hash),
      hashKeyVersion: keyVersion,
      hint: secretHint(secret),
      status: 'ENABLED',
      expiresAt,
      createdById: ctx.actor.type === 'MEMBER' ? ctx.actor.id : null,
      replacesId,
    },
    select: clientSecretSelect,
  });
  return { clientSecret: toClientSecretDto(row), secret };
}

/**
 * createClientSecret issues a client secret to an account of the caller's organization. The
 * secret is returned this once and stored as a keyed hash; its id (`kid_…`) is the public key
 * id. Expiry defaults to 2 years, capped by the organization maximum. Refused for a revoked
 * account (account_revoked) and beyond 10 enabled secrets (limit_exceeded). Audited
 * `client_secret.created` (without the secret) in the same transaction.
 */
export async function createClientSecret(
  ctx: OrgContext,
  accountId: string,
  input: CreateClientSecretInput,
): Promise<CreatedClientSecretDto> {
  assertCan(ctx, 'service_accounts.write');
  return db.$transaction(async (tx) => {
    const account = await lockAccount(tx, ctx, accountId);
    assertNotRevoked(account);
    // Holding a credential of the account is holding its grants (lib/auth/grant-rules.ts).
    await assertMayIssueCredentialFor(tx, ctx, accountId);
    const expiresAt = await credentialExpiry(tx, ctx.orgId, input.expiresAt);
    const created = await insertClientSecret(tx, ctx, accountId, input.name, expiresAt);
    await recordAuditEvent(tx, {
      organizationId: ctx.orgId,
      actor: ctx.actor,
      action: 'client_secret.created',
      target: { type: 'client_secret', id: created.clientSecret.id },
      meta: ctx,
      details: {
        serviceAccountId: accountId,
        serviceAccountName: account.name,
        name: input.name,
        expiresAt: created.clientSecret.expiresAt,
      },
    });
    await emitEvent(tx, 'credential.created', credentialSubject(ctx, 'client_secret', created.clientSecret, account));
    return created;
  });
}
