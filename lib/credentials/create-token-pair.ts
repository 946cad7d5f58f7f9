import 'server-only';
import { assertCan } from '@/lib/auth/assert-can';
import { emitEvent } from '@/lib/events/emit-event';
import { credentialSubject } from '@/lib/events/subjects';
import { assertMayIssueCredentialFor } from '@/lib/auth/grant-rules';
import type { OrgContext } from '@/lib/auth/context';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { keyedHash } from '@/lib/crypto/keyed-hash';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { newId } from '@/lib/ids';
import { assertNotRevoked, lockAccount } from '@/lib/service-accounts/lock-account';
import {
  MAX_ENABLED_TOKEN_PAIRS,
  type CreateTokenPairInput,
  type CreatedTokenPairDto,
} from '@/lib/service-accounts/schema';
import { toTokenPairDto, tokenPairSelect } from './dto';
import { credentialExpiry } from './expiry';
import { generateSecret } from './secret-format';

/**
 * createTokenPair issues a client token (publishable, stored as is) and a server token
 * (secret: returned once, stored as a keyed hash) to a client-platform account (WEB, ANDROID,
 * IOS, DESKTOP) of the caller's organization. A SERVER account is refused (invalid_request):
 * it authenticates with a client secret or a key. Revoked → account_revoked; more than 10
 * enabled pairs → limit_exceeded. Audited `client_token_pair.created` (no token) in the same
 * transaction.
 */
export async function createTokenPair(
  ctx: OrgContext,
  accountId: string,
  input: CreateTokenPairInput,
): Promise<CreatedTokenPairDto> {
  assertCan(ctx, 'service_accounts.write');
  return db.$transaction(async (tx) => {
    const account = await lockAccount(tx, ctx, accountId);
    assertNotRevoked(account);
    // Holding a credential of the account is holding its grants (lib/auth/grant-rules.ts).
    await assertMayIssueCredentialFor(tx, ctx, accountId);
    if (account.platform === 'SERVER') {
      throw new AppError(
        'invalid_request',
        'Client token pairs are for client apps (WEB, ANDROID, IOS, DESKTOP accounts). A SERVER account uses a client secret or a key pair.',
      );
    }
    const enabled = await tx.clientTokenPair.count({
      where: { serviceAccountId: accountId, organizationId: ctx.orgId, status: 'ENABLED' },
    });
    if (enabled >= MAX_ENABLED_TOKEN_PAIRS)
      throw new AppError(
        'limit_exceeded',
        `An account may have at most ${MAX_ENABLED_TOKEN_PAIRS} enabled client token pairs: disable or delete one first.`,
      );
    const expiresAt = await credentialExpiry(tx, ctx.orgId, input.expiresAt);
    const serverToken = generateSecret('serverToken');
    const { hash, keyVersion } = keyedHash(serverToken);
    const row = await tx.clientTokenPair.create({
      data: {
        id: newId('clientTokenPair'),
        organizationId: ctx.orgId,
        serviceAccountId: accountId,
        clientToken: generateSecret('clientToken'),
        serverTokenHash: new Uint8Array(hash),
        hashKeyVersion: keyVersion,
        status: 'ENABLED',
        expiresAt,
        createdById: ctx.actor.type === 'MEMBER' ? ctx.actor.id : null,
      },
      select: tokenPairSelect,
    });
    await recordAuditEvent(tx, {
      organizationId: ctx.orgId,
      actor: ctx.actor,
      action: 'client_token_pair.created',
      target: { type: 'client_token_pair', id: row.id },
      meta: ctx,
      details: {
        serviceAccountId: accountId,
        serviceAccountName: account.name,
        expiresAt: row.expiresAt.toISOString(),
      },
    });
    await emitEvent(tx, 'credential.created', credentialSubject(ctx, 'client_token_pair', row, account));
    return { tokenPair: toTokenPairDto(row), serverToken };
  });
}
