import 'server-only';
import type { Prisma } from '@/lib/db/generated/client';
import { isExpiringSoon } from '@/lib/credentials/dto';
import { claimConditionSchema, type FederatedCredentialDto, FEDERATED_ALGORITHMS, TEMPLATES } from './schema';
import { z } from 'zod';

/** Columns read for DTOs (a federated credential holds nothing secret; the inline JWKS is public keys). */
export const federatedCredentialSelect = {
  id: true,
  serviceAccountId: true,
  name: true,
  template: true,
  issuer: true,
  keySource: true,
  jwksUri: true,
  inlineJwks: true,
  audience: true,
  subjectMatch: true,
  subject: true,
  claimConditions: true,
  allowedAlgorithms: true,
  maxTokenAgeSeconds: true,
  status: true,
  expiresAt: true,
  createdAt: true,
  lastUsedAt: true,
  lastUsedIp: true,
  createdBy: { select: { id: true, email: true } },
} as const satisfies Prisma.FederatedCredentialSelect;

export type FederatedCredentialRow = Prisma.FederatedCredentialGetPayload<{ select: typeof federatedCredentialSelect }>;

const conditions = z.array(claimConditionSchema).catch([]);
const inlineJwks = z
  .object({ keys: z.array(z.record(z.string(), z.unknown())) })
  .nullable()
  .catch(null);
const isTemplate = (v: string | null): v is (typeof TEMPLATES)[number] =>
  v !== null && (TEMPLATES as readonly string[]).includes(v);
const isAlgorithm = (v: string): v is (typeof FEDERATED_ALGORITHMS)[number] =>
  (FEDERATED_ALGORITHMS as readonly string[]).includes(v);

export function toFederatedCredentialDto(row: FederatedCredentialRow, now = new Date()): FederatedCredentialDto {
  return {
    id: row.id,
    serviceAccountId: row.serviceAccountId,
    name: row.name,
    template: isTemplate(row.template) ? row.template : null,
    issuer: row.issuer,
    keySource: row.keySource,
    jwksUri: row.jwksUri,
    inlineJwks: inlineJwks.parse(row.inlineJwks),
    audience: row.audience,
    subjectMatch: row.subjectMatch,
    subject: row.subject,
    claimConditions: conditions.parse(row.claimConditions),
    allowedAlgorithms: row.allowedAlgorithms.filter(isAlgorithm),
    maxTokenAgeSeconds: row.maxTokenAgeSeconds,
    status: row.status,
    expiresAt: row.expiresAt.toISOString(),
    expired: row.expiresAt <= now,
    expiringSoon: isExpiringSoon(row.expiresAt, row.status, now),
    createdBy: row.createdBy ? { id: row.createdBy.id, label: row.createdBy.email } : null,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt ? row.lastUsedAt.toISOString() : null,
    lastUsedIp: row.lastUsedIp,
  };
}
