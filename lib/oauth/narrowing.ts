import 'server-only';
import { db } from '@/lib/db/client';
import type { Principal } from '@/lib/credentials/principals';
import { refuse } from './refusal';

export type Narrowing = { projectId: string | null; environmentId: string | null };
const ID_SHAPE = /^[A-Za-z0-9_-]{1,100}$/;

/**
 * resolveNarrowing checks a request to bind a token to a project (and optionally one of its
 * environments): both must exist in the account's own organization (another organization's
 * project looks exactly like a missing one), the environment must belong to the project, the
 * account must hold a role binding that reaches the project (organization-wide or bound to it),
 * and a token already bound to a project or environment can only stay on it (narrowing never
 * widens). Throws invalid_target (RFC 8693 §2.2.2).
 */
export async function resolveNarrowing(
  principal: Principal,
  requested: Narrowing,
  current: Narrowing = { projectId: null, environmentId: null },
): Promise<Narrowing> {
  let { projectId, environmentId } = requested;
  if (!projectId && !environmentId) return current;
  if ((projectId && !ID_SHAPE.test(projectId)) || (environmentId && !ID_SHAPE.test(environmentId))) {
    refuse('invalid_target', 'unknown_project', 'Unknown project or environment.');
  }
  const orgId = principal.account.organizationId;
  if (environmentId) {
    const env = await db.environment.findFirst({
      where: { id: environmentId, organizationId: orgId },
      select: { projectId: true },
    });
    if (!env) refuse('invalid_target', 'unknown_environment', 'Unknown project or environment.');
    if (projectId && env.projectId !== projectId)
      refuse('invalid_target', 'environment_not_in_project', 'The environment does not belong to the project.');
    projectId = env.projectId;
  }
  if (!projectId) refuse('invalid_target', 'unknown_project', 'Unknown project or environment.');
  const project = await db.project.findFirst({ where: { id: projectId, organizationId: orgId }, select: { id: true } });
  if (!project) refuse('invalid_target', 'unknown_project', 'Unknown project or environment.');
  if (current.projectId && current.projectId !== projectId)
    refuse('invalid_target', 'wider_project', 'A token bound to a project cannot be exchanged for another project.');
  if (current.environmentId && current.environmentId !== environmentId) {
    refuse(
      'invalid_target',
      'wider_environment',
      'A token bound to an environment cannot be exchanged for another environment.',
    );
  }
  const binding = await db.roleBinding.findFirst({
    where: {
      serviceAccountId: principal.account.id,
      organizationId: orgId,
      OR: [{ projectId: null }, { projectId }],
      // A retired role reaches no project any more.
      role: { retiredAt: null },
    },
    select: { id: true },
  });
  if (!binding) refuse('invalid_target', 'project_not_bound', 'This service account has no role in that project.');
  return { projectId, environmentId: environmentId ?? null };
}
