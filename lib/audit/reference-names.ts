import 'server-only';
import type { OrgContext } from '@/lib/auth/context';
import { db } from '@/lib/db/client';
import type { AuditEventDto } from './dto';
import { referenceKey as key } from './reference-key';

/**
 * What an audit event's target or actor id stands for today: its name, and where the console
 * shows it. `accountId` is set for a service account and for each kind of its credentials (their
 * page is the account's). Deleted objects and ids of other organizations have no entry.
 */
export type AuditReference = { kind: string; name: string; accountId?: string };

/**
 * auditReferenceNames looks up, for one page of events, the names of the organization, service accounts,
 * credentials, OEM credentials, vehicles, webhooks, users, projects, scopes and roles they name, a query per kind, each
 * scoped to the caller's organization (an id copied from elsewhere resolves to nothing).
 */
export async function auditReferenceNames(
  ctx: OrgContext,
  events: readonly AuditEventDto[],
): Promise<Map<string, AuditReference>> {
  const ids = new Map<string, Set<string>>();
  const want = (type: string | null, id: string | null) => {
    if (!type || !id) return;
    let set = ids.get(type);
    if (!set) ids.set(type, (set = new Set()));
    set.add(id);
  };
  for (const e of events) {
    want(e.target_type, e.target_id);
    if (e.actor_type === 'SERVICE_ACCOUNT') want('service_account', e.actor_id);
    if (e.actor_type === 'MEMBER') want('user', e.actor_id);
  }
  const of = (type: string) => ({ in: [...(ids.get(type) ?? [])] });
  const has = (type: string) => (ids.get(type)?.size ?? 0) > 0;
  const organizationId = ctx.orgId;
  const credential = { id: true, name: true, serviceAccountId: true } as const;
  const [organization, accounts, secrets, keyPairs, pairs, federated, oem, vehicles, webhooks, users, catalog] =
    await Promise.all([
      // Only the caller's own organization: another one's id names nothing here.
      ids.get('organization')?.has(organizationId)
        ? db.organization.findUnique({ where: { id: organizationId }, select: { id: true, name: true } })
        : null,
      has('service_account')
        ? db.serviceAccount.findMany({
            where: { organizationId, id: of('service_account') },
            select: { id: true, name: true },
          })
        : [],
      has('client_secret')
        ? db.clientSecret.findMany({ where: { organizationId, id: of('client_secret') }, select: credential })
        : [],
      has('key_pair') ? db.keyPair.findMany({ where: { organizationId, id: of('key_pair') }, select: credential }) : [],
      has('client_token_pair')
        ? db.clientTokenPair.findMany({
            where: { organizationId, id: of('client_token_pair') },
            select: { id: true, serviceAccountId: true, serviceAccount: { select: { name: true } } },
          })
        : [],
      has('federated_credential')
        ? db.federatedCredential.findMany({
            where: { organizationId, id: of('federated_credential') },
            select: credential,
          })
        : [],
      has('oem_credential')
        ? db.oemCredential.findMany({
            where: { organizationId, id: of('oem_credential') },
            select: { id: true, name: true },
          })
        : [],
      has('vehicle')
        ? db.vehicle.findMany({ where: { organizationId, id: of('vehicle') }, select: { id: true, vin: true } })
        : [],
      has('webhook')
        ? db.webhook.findMany({ where: { organizationId, id: of('webhook') }, select: { id: true, url: true } })
        : [],
      has('user')
        ? db.user.findMany({
            where: { id: of('user'), memberships: { some: { organizationId } } },
            select: { id: true, name: true, email: true },
          })
        : [],
      catalogNames(organizationId, { project: of('project'), scope: of('scope'), role: of('role') }),
    ]);
  const names = new Map<string, AuditReference>();
  if (organization) names.set(key('organization', organization.id), { kind: 'organization', name: organization.name });
  for (const a of accounts)
    names.set(key('service_account', a.id), { kind: 'service_account', name: a.name, accountId: a.id });
  for (const [type, rows] of [
    ['client_secret', secrets],
    ['key_pair', keyPairs],
    ['federated_credential', federated],
  ] as const)
    for (const c of rows) names.set(key(type, c.id), { kind: type, name: c.name, accountId: c.serviceAccountId });
  for (const p of pairs)
    names.set(key('client_token_pair', p.id), {
      kind: 'client_token_pair',
      name: `token pair of ${p.serviceAccount.name}`,
      accountId: p.serviceAccountId,
    });
  for (const c of oem) names.set(key('oem_credential', c.id), { kind: 'oem_credential', name: c.name });
  for (const v of vehicles) names.set(key('vehicle', v.id), { kind: 'vehicle', name: v.vin });
  for (const w of webhooks) names.set(key('webhook', w.id), { kind: 'webhook', name: w.url });
  for (const u of users) names.set(key('user', u.id), { kind: 'user', name: u.name || u.email });
  for (const [kind, rows] of Object.entries(catalog))
    for (const r of rows) names.set(key(kind, r.id), { kind, name: r.name });
  return names;
}

/** catalogNames finds the organization's projects, scopes and roles among the ids (Settings shows them). */
async function catalogNames(
  organizationId: string,
  ids: Record<'project' | 'scope' | 'role', { in: string[] }>,
): Promise<Record<string, Array<{ id: string; name: string }>>> {
  const select = { id: true, name: true } as const;
  const [project, scope, role] = await Promise.all([
    ids.project.in.length ? db.project.findMany({ where: { organizationId, id: ids.project }, select }) : [],
    ids.scope.in.length ? db.scope.findMany({ where: { organizationId, id: ids.scope }, select }) : [],
    ids.role.in.length ? db.roleDefinition.findMany({ where: { organizationId, id: ids.role }, select }) : [],
  ]);
  return { project, scope, role };
}
