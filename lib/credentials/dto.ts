import 'server-only';
import type { Prisma } from '@/lib/db/generated/client';
import {
  EXPIRY_WARNING_DAYS,
  type ClientSecretDto,
  type KeyPairDto,
  type TokenPairDto,
} from '@/lib/service-accounts/schema';

const DAY_MS = 86_400_000;
const iso = (d: Date | null) => (d ? d.toISOString() : null);
const creator = { select: { id: true, email: true } } as const;

/** Columns read for DTOs: never secretHash, serverTokenHash or anything secret. */
export const clientSecretSelect = {
  id: true,
  serviceAccountId: true,
  name: true,
  hint: true,
  status: true,
  expiresAt: true,
  createdAt: true,
  lastUsedAt: true,
  lastUsedIp: true,
  createdBy: creator,
  replacesId: true,
  replacedBy: { select: { id: true }, orderBy: { createdAt: 'desc' }, take: 1 },
} as const satisfies Prisma.ClientSecretSelect;
export const keyPairSelect = {
  id: true,
  serviceAccountId: true,
  name: true,
  algorithm: true,
  origin: true,
  thumbprint: true,
  publicKeyJwk: true,
  status: true,
  expiresAt: true,
  createdAt: true,
  lastUsedAt: true,
  lastUsedIp: true,
  createdBy: creator,
} as const satisfies Prisma.KeyPairSelect;
export const tokenPairSelect = {
  id: true,
  serviceAccountId: true,
  clientToken: true,
  status: true,
  expiresAt: true,
  createdAt: true,
  lastUsedAt: true,
  lastUsedIp: true,
  createdBy: creator,
} as const satisfies Prisma.ClientTokenPairSelect;

type Common = {
  status: 'ENABLED' | 'DISABLED';
  expiresAt: Date;
  createdAt: Date;
  lastUsedAt: Date | null;
  lastUsedIp: string | null;
  createdBy: { id: string; email: string } | null;
};

/** isExpiringSoon: enabled, not yet expired, and expiring within EXPIRY_WARNING_DAYS. */
export function isExpiringSoon(expiresAt: Date, status: string, now = new Date()): boolean {
  return status === 'ENABLED' && expiresAt > now && expiresAt.getTime() <= now.getTime() + EXPIRY_WARNING_DAYS * DAY_MS;
}

function common(row: Common, now: Date) {
  return {
    status: row.status,
    expiresAt: row.expiresAt.toISOString(),
    expired: row.expiresAt <= now,
    expiringSoon: isExpiringSoon(row.expiresAt, row.status, now),
    createdBy: row.createdBy ? { id: row.createdBy.id, label: row.createdBy.email } : null,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: iso(row.lastUsedAt),
    lastUsedIp: row.lastUsedIp,
  };
}

export function toClientSecretDto(
  row: Prisma.ClientSecretGetPayload<{ select: typeof clientSecretSelect }>,
  now = new Date(),
): ClientSecretDto {
  return {
    id: row.id,
    serviceAccountId: row.serviceAccountId,
    name: row.name,
    hint: row.hint,
    replacesId: row.replacesId,
    replacedById: row.replacedBy[0]?.id ?? null,
    ...common(row, now),
  };
}

export function toKeyPairDto(
  row: Prisma.KeyPairGetPayload<{ select: typeof keyPairSelect }>,
  now = new Date(),
): KeyPairDto {
  const jwk = row.publicKeyJwk as Record<string, string>;
  return {
    id: row.id,
    serviceAccountId: row.serviceAccountId,
    name: row.name,
    algorithm: 'ES256',
    origin: row.origin,
    thumbprint: row.thumbprint,
    publicKeyJwk: { kty: String(jwk.kty), crv: String(jwk.crv), x: String(jwk.x), y: String(jwk.y) },
    ...common(row, now),
  };
}

export function toTokenPairDto(
  row: Prisma.ClientTokenPairGetPayload<{ select: typeof tokenPairSelect }>,
  now = new Date(),
): TokenPairDto {
  return { id: row.id, serviceAccountId: row.serviceAccountId, clientToken: row.clientToken, ...common(row, now) };
}
