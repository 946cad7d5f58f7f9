import 'server-only';
import { assertCan } from '@/lib/auth/assert-can';
import { emitEvent } from '@/lib/events/emit-event';
import { credentialSubject } from '@/lib/events/subjects';
import { assertMayIssueCredentialFor } from '@/lib/auth/grant-rules';
import { exportJWK, exportPKCS8, generateKeyPair } from 'jose';
import type { OrgContext } from '@/lib/auth/context';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { newId } from '@/lib/ids';
import { tokenUrl } from '@/lib/issuer';
import { assertNotRevoked, lockAccount } from '@/lib/service-accounts/lock-account';
import {
  MAX_ENABLED_KEY_PAIRS,
  type CreateKeyPairInput,
  type CreatedKeyPairDto,
  type KeyConfigDto,
} from '@/lib/service-accounts/schema';
import { keyPairSelect, toKeyPairDto } from './dto';
import { credentialExpiry } from './expiry';
import { jwkThumbprint, parsePublicKey, type EcPublicJwk } from './public-key';

async function generate(): Promise<{ jwk: EcPublicJwk; privatePem: string }> {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(publicKey);
  return {
    jwk: { kty: 'EC', crv: 'P-256', x: String(jwk.x), y: String(jwk.y) },
    privatePem: await exportPKCS8(privateKey),
  };
}

/**
 * createKeyPair adds an ES256 key pair to an account of the caller's organization. Without
 * `publicKey` Latchkey generates the pair and hands the private key over once, in a JSON
 * config (key id, PEM, token URL), keeping only the public JWK and its thumbprint. With
 * `publicKey` (SPKI PEM or JWK) it stores the uploaded public key; anything else (private keys,
 * RSA, other curves, garbage) is `invalid_key`. A key already registered is a conflict.
 * Revoked account → account_revoked; more than 10 enabled key pairs → limit_exceeded. Audited
 * `key_pair.created` or `key_pair.uploaded` (never with key material) in the same transaction.
 */
export async function createKeyPair(
  ctx: OrgContext,
  accountId: string,
  input: CreateKeyPairInput,
): Promise<CreatedKeyPairDto> {
  assertCan(ctx, 'service_accounts.write');
  const uploaded = input.publicKey !== undefined;
  // Parse or generate outside the transaction: no row lock is held during key generation.
  const material = uploaded
    ? { jwk: parsePublicKey(input.publicKey as string | Record<string, unknown>), privatePem: null }
    : await generate();
  const thumbprint = await jwkThumbprint(material.jwk);
  try {
    return await db.$transaction(async (tx) => {
      const account = await lockAccount(tx, ctx, accountId);
      assertNotRevoked(account);
      // Holding a credential of the account is holding its grants (lib/auth/grant-rules.ts).
      await assertMayIssueCredentialFor(tx, ctx, accountId);
      const enabled = await tx.keyPair.count({
        where: { serviceAccountId: accountId, organizationId: ctx.orgId, status: 'ENABLED' },
      });
      if (enabled >= MAX_ENABLED_KEY_PAIRS)
        throw new AppError(
          'limit_exceeded',
          `An account may have at most ${MAX_ENABLED_KEY_PAIRS} enabled key pairs: disable or delete one first.`,
        );
      // Unique per organization only: a global check would tell anyone that another tenant registered this key.
      if (
        await tx.keyPair.findUnique({
          where: { organizationId_thumbprint: { organizationId: ctx.orgId, thumbprint } },
          select: { id: true },
        })
      )
        throw duplicate();
      const expiresAt = await credentialExpiry(tx, ctx.orgId, input.expiresAt);
      const row = await tx.keyPair.create({
        data: {
          id: newId('keyPair'),
          organizationId: ctx.orgId,
          serviceAccountId: accountId,
          name: input.name,
          algorithm: 'ES256',
          publicKeyJwk: material.jwk,
          thumbprint,
          origin: uploaded ? 'UPLOADED' : 'GENERATED',
          status: 'ENABLED',
          expiresAt,
          createdById: ctx.actor.type === 'MEMBER' ? ctx.actor.id : null,
        },
        select: keyPairSelect,
      });
      await recordAuditEvent(tx, {
        organizationId: ctx.orgId,
        actor: ctx.actor,
        action: uploaded ? 'key_pair.uploaded' : 'key_pair.created',
        target: { type: 'key_pair', id: row.id },
        meta: ctx,
        details: {
          serviceAccountId: accountId,
          serviceAccountName: account.name,
          name: row.name,
          thumbprint,
          expiresAt: row.expiresAt.toISOString(),
        },
      });
      await emitEvent(tx, 'credential.created', credentialSubject(ctx, 'key_pair', row, account));
      const config: KeyConfigDto | null = material.privatePem
        ? {
            type: 'latchkey_service_account_key',
            key_id: row.id,
            // High Mobility's console names for the same id (their examples read `config.id`), so
            // vendor code runs on this file unchanged; `key_id` stays for everyone else.
            id: row.id,
            client_id: row.id,
            service_account_id: accountId,
            private_key: material.privatePem,
            token_url: tokenUrl(),
            algorithm: 'ES256',
          }
        : null;
      return { keyPair: toKeyPairDto(row), config };
    });
  } catch (error) {
    if (typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002')
      throw duplicate();
    throw error;
  }
}

function duplicate(): AppError {
  return new AppError(
    'conflict',
    'This public key is already registered. Generate a new key pair for each account and purpose.',
    {
      fields: { publicKey: ['This public key is already registered.'] },
    },
  );
}
