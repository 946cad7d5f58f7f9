import 'server-only';
import type { Tx } from '@/lib/db/client';
import type { Actor, RequestMeta } from '@/lib/audit/actor';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { AppError } from '@/lib/errors';
import { newId } from '@/lib/ids';
import { DEFAULT_PRODUCT_SCOPES, DEFAULT_ROLES, MANAGEMENT_SCOPES } from '@/lib/scopes/catalog';
import { slugify, type CreateOrganizationInput } from './schema';

export type OrganizationDto = { id: string; slug: string; name: string; createdAt: string };

/**
 * createOrganization creates an organization with the default scope catalog and role catalog,
 * and records `organization.created` in the new organization's audit chain. A taken slug is a
 * `name_taken` error when given explicitly; a derived slug gets a numeric suffix instead.
 * Runs inside the caller's transaction.
 */
export async function createOrganization(
  tx: Tx,
  input: CreateOrganizationInput,
  actor: Actor,
  meta?: Partial<RequestMeta>,
): Promise<OrganizationDto> {
  const slug = input.slug ?? (await freeSlug(tx, slugify(input.name)));
  if (input.slug && (await tx.organization.findUnique({ where: { slug: input.slug }, select: { id: true } }))) {
    throw new AppError('name_taken', `The slug "${input.slug}" is taken.`, {
      fields: { slug: ['This slug is taken.'] },
    });
  }
  const org = await tx.organization.create({ data: { id: newId('organization'), slug, name: input.name } });
  await tx.scope.createMany({
    data: [
      ...DEFAULT_PRODUCT_SCOPES.map((s) => ({ ...s, isManagement: false })),
      ...MANAGEMENT_SCOPES.map((s) => ({ ...s, isManagement: true })),
    ].map((s) => ({ id: newId('scope'), organizationId: org.id, ...s })),
  });
  await tx.roleDefinition.createMany({
    data: DEFAULT_ROLES.map((r) => ({ id: newId('role'), organizationId: org.id, ...r })),
  });
  await recordAuditEvent(tx, {
    organizationId: org.id,
    actor,
    action: 'organization.created',
    target: { type: 'organization', id: org.id },
    meta,
    details: { slug: org.slug, name: org.name },
  });
  return { id: org.id, slug: org.slug, name: org.name, createdAt: org.createdAt.toISOString() };
}

async function freeSlug(tx: Tx, base: string): Promise<string> {
  const taken = new Set(
    (await tx.organization.findMany({ where: { slug: { startsWith: base } }, select: { slug: true } })).map(
      (o) => o.slug,
    ),
  );
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}
