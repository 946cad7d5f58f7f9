import type { Actor } from '@/lib/audit/actor';
import type { Role } from './roles';

/**
 * OrgContext is the first argument of every tenant-scoped domain function. The organization
 * comes from here, never from input, and every query filters by `orgId`.
 */
export type OrgContext = {
  orgId: string;
  orgSlug: string;
  role: Role;
  actor: Actor;
  requestId: string;
  ip: string | null;
  userAgent: string | null;
};
