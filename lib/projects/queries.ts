import 'server-only';
import type { OrgContext } from '@/lib/auth/context';
import { db } from '@/lib/db/client';
import type { ProjectDto } from './schema';

/** listProjects lists the organization's projects with their environments, by name. */
export async function listProjects(ctx: OrgContext): Promise<ProjectDto[]> {
  const rows = await db.project.findMany({
    where: { organizationId: ctx.orgId },
    orderBy: { name: 'asc' },
    select: {
      id: true,
      name: true,
      description: true,
      createdAt: true,
      environments: { select: { id: true, name: true, createdAt: true }, orderBy: { createdAt: 'asc' } },
    },
  });
  return rows.map((p) => ({
    id: p.id,
    name: p.name,
    description: p.description,
    createdAt: p.createdAt.toISOString(),
    environments: p.environments.map((e) => ({ id: e.id, name: e.name, createdAt: e.createdAt.toISOString() })),
  }));
}
