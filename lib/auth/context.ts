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
  /**
   * For a service-account caller (actor.type SERVICE_ACCOUNT): the scopes of the access token it
   * called with, which are all it holds and so all it may grant (lib/auth/grant-rules.ts).
   * Absent for members and Latchkey itself; a service-account context without it holds nothing.
   */
  tokenScopes?: readonly string[];
};
