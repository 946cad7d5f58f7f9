import type { OrgContext } from './context';
import { can, type Permission } from './permissions';
import { AppError } from '@/lib/errors';

/**
 * assertCan re-checks, inside the domain, the permission that defineAction and apiRoute already
 * checked: a future caller that forgets the wrapper still cannot let an AUDITOR write. It reads
 * the one role table (lib/auth/permissions.ts) and throws `forbidden`.
 */
export function assertCan(ctx: OrgContext, permission: Permission): void {
  if (!can(ctx.role, permission)) throw new AppError('forbidden', 'Your role does not allow this.');
}
