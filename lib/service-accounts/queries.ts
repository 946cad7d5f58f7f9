import 'server-only';
import type { OrgContext } from '@/lib/auth/context';
import {
  clientSecretSelect,
  keyPairSelect,
  toClientSecretDto,
  toKeyPairDto,
  toTokenPairDto,
  tokenPairSelect,
} from '@/lib/credentials/dto';
import { db } from '@/lib/db/client';
import type { Prisma } from '@/lib/db/generated/client';
import { AppError } from '@/lib/errors';
import { accountSelect, roleBindingSelect, toServiceAccountDto, toServiceAccountListItemDto } from './dto';
import {
  EXPIRY_WARNING_DAYS,
  type ClientSecretDto,
  type ExpiringCredentialDto,
  type KeyPairDto,
  type ListServiceAccountsQuery,
  type ServiceAccountDetailDto,
  type ServiceAccountPageDto,
  type TokenPairDto,
} from './schema';

const DAY_MS = 86_400_000;
const notFound = () => new AppError('not_found', 'Service account not found.');

function expiringWhere(now: Date) {
  return {
    status: 'ENABLED' as const,
    expiresAt: { gt: now, lte: new Date(now.getTime() + EXPIRY_WARNING_DAYS * DAY_MS) },
  };
}

/**
 * listServiceAccounts pages through the caller's organization's accounts, newest first,
 * searching names (case-insensitive) and filtering by status and platform. Each item carries
 * its credential count and how many of its credentials expire within 14 days. With
 * `hideRevoked` and no status filter, revoked accounts (kept only for the record) are left out.
 */
export async function listServiceAccounts(
  ctx: OrgContext,
  query: ListServiceAccountsQuery,
  options: { hideRevoked?: boolean } = {},
): Promise<ServiceAccountPageDto> {
  const status = query.status ?? (options.hideRevoked ? { not: 'REVOKED' as const } : undefined);
  const where: Prisma.ServiceAccountWhereInput = {
    organizationId: ctx.orgId,
    ...(query.q ? { name: { contains: query.q, mode: 'insensitive' } } : {}),
    ...(status ? { status } : {}),
    ...(query.platform ? { platform: query.platform } : {}),
  };
  const [total, rows] = await Promise.all([
    db.serviceAccount.count({ where }),
    db.serviceAccount.findMany({
      where,
      select: accountSelect,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
    }),
  ]);
  const ids = rows.map((r) => r.id);
  const now = new Date();
  const scoped = { organizationId: ctx.orgId, serviceAccountId: { in: ids } };
  const group = { by: ['serviceAccountId'] as ['serviceAccountId'], _count: { _all: true } } as const;
  const [s, k, t, f, se, ke, te, fe] = ids.length
    ? await Promise.all([
        db.clientSecret.groupBy({ ...group, where: scoped }),
        db.keyPair.groupBy({ ...group, where: scoped }),
        db.clientTokenPair.groupBy({ ...group, where: scoped }),
        db.federatedCredential.groupBy({ ...group, where: scoped }),
        db.clientSecret.groupBy({ ...group, where: { ...scoped, ...expiringWhere(now) } }),
        db.keyPair.groupBy({ ...group, where: { ...scoped, ...expiringWhere(now) } }),
        db.clientTokenPair.groupBy({ ...group, where: { ...scoped, ...expiringWhere(now) } }),
        db.federatedCredential.groupBy({ ...group, where: { ...scoped, ...expiringWhere(now) } }),
      ])
    : [[], [], [], [], [], [], [], []];
  const sum = (groups: Array<Array<{ serviceAccountId: string; _count: { _all: number } }>>, id: string) =>
    groups.reduce((n, g) => n + (g.find((x) => x.serviceAccountId === id)?._count._all ?? 0), 0);
  return {
    items: rows.map((r) =>
      toServiceAccountListItemDto(r, {
        credentialCount: sum([s, k, t, f], r.id),
        expiringCredentials: r.status === 'REVOKED' ? 0 : sum([se, ke, te, fe], r.id),
      }),
    ),
    page: query.page,
    pageSize: query.pageSize,
    total,
    totalPages: Math.max(1, Math.ceil(total / query.pageSize)),
  };
}

/** getServiceAccount returns one account with its credentials; not_found outside the caller's organization. */
export async function getServiceAccount(ctx: OrgContext, accountId: string): Promise<ServiceAccountDetailDto> {
  const row = await db.serviceAccount.findFirst({
    where: { id: accountId, organizationId: ctx.orgId },
    select: accountSelect,
  });
  if (!row) throw notFound();
  const where = { serviceAccountId: accountId, organizationId: ctx.orgId };
  const [bindings, clientSecrets, keyPairs, clientTokenPairs] = await Promise.all([
    db.roleBinding.findMany({ where, select: roleBindingSelect, orderBy: { createdAt: 'asc' } }),
    listClientSecretRows(where),
    listKeyPairRows(where),
    listTokenPairRows(where),
  ]);
  return { ...toServiceAccountDto(row, bindings), clientSecrets, keyPairs, clientTokenPairs };
}

async function assertAccount(ctx: OrgContext, accountId: string) {
  const found = await db.serviceAccount.findFirst({
    where: { id: accountId, organizationId: ctx.orgId },
    select: { id: true },
  });
  if (!found) throw notFound();
}

const credentialOrder = [{ status: 'asc' as const }, { createdAt: 'desc' as const }];

async function listClientSecretRows(where: {
  serviceAccountId: string;
  organizationId: string;
}): Promise<ClientSecretDto[]> {
  const now = new Date();
  return (await db.clientSecret.findMany({ where, select: clientSecretSelect, orderBy: credentialOrder })).map((r) =>
    toClientSecretDto(r, now),
  );
}
async function listKeyPairRows(where: { serviceAccountId: string; organizationId: string }): Promise<KeyPairDto[]> {
  const now = new Date();
  return (await db.keyPair.findMany({ where, select: keyPairSelect, orderBy: credentialOrder })).map((r) =>
    toKeyPairDto(r, now),
  );
}
async function listTokenPairRows(where: { serviceAccountId: string; organizationId: string }): Promise<TokenPairDto[]> {
  const now = new Date();
  return (await db.clientTokenPair.findMany({ where, select: tokenPairSelect, orderBy: credentialOrder })).map((r) =>
    toTokenPairDto(r, now),
  );
}

/** listClientSecrets lists an account's client secrets (never their hashes). */
export async function listClientSecrets(ctx: OrgContext, accountId: string): Promise<ClientSecretDto[]> {
  await assertAccount(ctx, accountId);
  return listClientSecretRows({ serviceAccountId: accountId, organizationId: ctx.orgId });
}
/** listKeyPairs lists an account's key pairs (public keys only: Latchkey never holds a private key). */
export async function listKeyPairs(ctx: OrgContext, accountId: string): Promise<KeyPairDto[]> {
  await assertAccount(ctx, accountId);
  return listKeyPairRows({ serviceAccountId: accountId, organizationId: ctx.orgId });
}
/** listTokenPairs lists an account's client token pairs (the publishable client token only). */
export async function listTokenPairs(ctx: OrgContext, accountId: string): Promise<TokenPairDto[]> {
  await assertAccount(ctx, accountId);
  return listTokenPairRows({ serviceAccountId: accountId, organizationId: ctx.orgId });
}

/**
 * listExpiringCredentials lists the organization's ENABLED credentials of non-revoked accounts
 * that expire within 14 days, soonest first: the overview's expiry dashboard.
 */
export async function listExpiringCredentials(ctx: OrgContext, limit = 50): Promise<ExpiringCredentialDto[]> {
  const now = new Date();
  const where = {
    organizationId: ctx.orgId,
    ...expiringWhere(now),
    serviceAccount: { status: { not: 'REVOKED' as const } },
  };
  const account = { select: { id: true, name: true } } as const;
  const orderBy = { expiresAt: 'asc' as const };
  const [secrets, keys, pairs, federated] = await Promise.all([
    db.clientSecret.findMany({
      where,
      select: { id: true, name: true, expiresAt: true, serviceAccount: account },
      orderBy,
      take: limit,
    }),
    db.keyPair.findMany({
      where,
      select: { id: true, name: true, expiresAt: true, serviceAccount: account },
      orderBy,
      take: limit,
    }),
    db.clientTokenPair.findMany({
      where,
      select: { id: true, expiresAt: true, serviceAccount: account },
      orderBy,
      take: limit,
    }),
    db.federatedCredential.findMany({
      where,
      select: { id: true, name: true, expiresAt: true, serviceAccount: account },
      orderBy,
      take: limit,
    }),
  ]);
  const items: ExpiringCredentialDto[] = [
    ...secrets.map((r) => ({
      kind: 'client_secret' as const,
      id: r.id,
      label: r.name,
      serviceAccountId: r.serviceAccount.id,
      serviceAccountName: r.serviceAccount.name,
      expiresAt: r.expiresAt.toISOString(),
    })),
    ...keys.map((r) => ({
      kind: 'key_pair' as const,
      id: r.id,
      label: r.name,
      serviceAccountId: r.serviceAccount.id,
      serviceAccountName: r.serviceAccount.name,
      expiresAt: r.expiresAt.toISOString(),
    })),
    ...pairs.map((r) => ({
      kind: 'client_token_pair' as const,
      id: r.id,
      label: 'Client token pair',
      serviceAccountId: r.serviceAccount.id,
      serviceAccountName: r.serviceAccount.name,
      expiresAt: r.expiresAt.toISOString(),
    })),
    ...federated.map((r) => ({
      kind: 'federated_credential' as const,
      id: r.id,
      label: r.name,
      serviceAccountId: r.serviceAccount.id,
      serviceAccountName: r.serviceAccount.name,
      expiresAt: r.expiresAt.toISOString(),
    })),
  ];
  return items.sort((a, b) => a.expiresAt.localeCompare(b.expiresAt)).slice(0, limit);
}

export type AccountCatalog = {
  scopes: Array<{ name: string; description: string; isManagement: boolean; retired: boolean }>;
  roles: Array<{ id: string; name: string; description: string; kind: 'ORGANIZATION' | 'PROJECT'; retired: boolean }>;
  projects: Array<{ id: string; name: string }>;
  maxCredentialLifetimeDays: number;
};

/** getAccountCatalog returns what an account form offers: the org's scopes, roles and projects. */
export async function getAccountCatalog(ctx: OrgContext): Promise<AccountCatalog> {
  const where = { organizationId: ctx.orgId };
  const [scopes, roles, projects, org] = await Promise.all([
    db.scope
      .findMany({
        where,
        select: { name: true, description: true, isManagement: true, retiredAt: true },
        orderBy: [{ isManagement: 'asc' }, { name: 'asc' }],
      })
      .then((rows) => rows.map(({ retiredAt, ...s }) => ({ ...s, retired: retiredAt !== null }))),
    db.roleDefinition
      .findMany({
        where,
        select: { id: true, name: true, description: true, kind: true, retiredAt: true },
        orderBy: [{ kind: 'asc' }, { name: 'asc' }],
      })
      .then((rows) => rows.map(({ retiredAt, ...r }) => ({ ...r, retired: retiredAt !== null }))),
    db.project.findMany({ where, select: { id: true, name: true }, orderBy: { name: 'asc' } }),
    db.organization.findUniqueOrThrow({ where: { id: ctx.orgId }, select: { maxCredentialLifetimeDays: true } }),
  ]);
  return { scopes, roles, projects, maxCredentialLifetimeDays: org.maxCredentialLifetimeDays };
}
