import 'server-only';
import { SYSTEM_ACTOR } from '@/lib/audit/actor';
import { db } from '@/lib/db/client';
import { newId } from '@/lib/ids';
import { createOrganization } from '@/lib/organizations/create-organization';

export const DEMO_ORG = { name: 'Demo Fleet', slug: 'demo' } as const;

const DEMO_PROJECTS = [
  {
    name: 'Fleet app',
    description: 'Driver and fleet-manager apps',
    environments: ['production', 'staging', 'development'],
  },
  { name: 'Routing API', description: 'Directions, matrices and geocoding', environments: ['production', 'staging'] },
];

const DEMO_ACCOUNTS = [
  {
    name: 'fleet-backend',
    description: 'Fleet app backend: routing and geocoding',
    platform: 'SERVER',
    scopes: ['TILE', 'DIRECTION', 'MATRIX', 'GEOCODING'],
  },
  { name: 'driver-app', description: 'Android driver app', platform: 'ANDROID', scopes: ['TILE', 'DIRECTION'] },
  {
    name: 'ci-deployer',
    description: 'CI pipeline that manages service accounts',
    platform: 'SERVER',
    scopes: ['manage:service_accounts'],
    isAdmin: true,
  },
] as const;

/**
 * seedDemo creates the demo organization (scope catalog, projects, environments, a few service
 * accounts without credentials) on a database that has no organization yet. It returns false
 * and changes nothing otherwise, so every start can call it.
 */
export async function seedDemo(): Promise<boolean> {
  return db.$transaction(async (tx) => {
    if ((await tx.organization.count()) > 0) return false;
    const org = await createOrganization(tx, DEMO_ORG, SYSTEM_ACTOR, { requestId: 'seed' });
    for (const project of DEMO_PROJECTS) {
      const projectId = newId('project');
      await tx.project.create({
        data: { id: projectId, organizationId: org.id, name: project.name, description: project.description },
      });
      await tx.environment.createMany({
        data: project.environments.map((name) => ({
          id: newId('environment'),
          organizationId: org.id,
          projectId,
          name,
        })),
      });
    }
    const scopes = await tx.scope.findMany({ where: { organizationId: org.id }, select: { id: true, name: true } });
    const scopeId = new Map(scopes.map((s) => [s.name, s.id]));
    for (const account of DEMO_ACCOUNTS) {
      const id = newId('serviceAccount');
      await tx.serviceAccount.create({
        data: {
          id,
          organizationId: org.id,
          name: account.name,
          description: account.description,
          platform: account.platform,
          isAdmin: 'isAdmin' in account ? account.isAdmin : false,
        },
      });
      await tx.serviceAccountScope.createMany({
        data: account.scopes.flatMap((name) => {
          const sid = scopeId.get(name);
          return sid ? [{ serviceAccountId: id, scopeId: sid, organizationId: org.id }] : [];
        }),
      });
    }
    return true;
  });
}
