import 'server-only';
import { getServerSession } from 'next-auth';
import { headers } from 'next/headers';
import { notFound, redirect } from 'next/navigation';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { requestMeta } from '@/lib/http/request-meta';
import { paths } from '@/lib/paths';
import { authOptions } from './config';
import type { OrgContext } from './context';
import { findMember } from './members';
import { can, type Permission } from './permissions';
import type { Role } from './roles';

export type SessionUser = { id: string; email: string; name: string };

/**
 * currentUser reads the next-auth session and confirms the user still exists and the session is
 * not older than the user's sessions_valid_after (set when the password changes or an owner
 * resets it or the second factor): such a session is signed out.
 */
export async function currentUser(): Promise<SessionUser | null> {
  const session = await getServerSession(authOptions());
  const claims = session?.user as { id?: unknown; authTime?: unknown } | undefined;
  const id = claims?.id;
  if (typeof id !== 'string' || id === '') return null;
  const authTime = typeof claims?.authTime === 'number' ? claims.authTime : 0;
  const user = await db.user.findUnique({
    where: { id },
    select: { id: true, email: true, name: true, sessionsValidAfter: true },
  });
  if (!user) return null;
  if (user.sessionsValidAfter && authTime < user.sessionsValidAfter.getTime()) return null;
  return { id: user.id, email: user.email, name: user.name };
}

/** requireUser returns the signed-in user or redirects to the sign-in page. */
export async function requireUser(): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect(paths.signIn());
  return user;
}

export type MemberSession = {
  user: SessionUser;
  org: { id: string; slug: string; name: string };
  role: Role;
  ctx: OrgContext;
  /** The organization requires a second factor this member has not turned on yet. */
  twoFactorMissing: boolean;
};

/**
 * memberContext resolves the signed-in member of `orgSlug` and checks `permission`. It returns
 * null when the caller is signed out, not a member, or lacks the permission: callers answer
 * all three the same way, so another organization looks exactly like a missing one. A member
 * of an organization that requires two-factor authentication, who has not turned it on, gets
 * two_factor_required (unless `allowWithoutTwoFactor`: the shell and the page that sets it up).
 */
export async function memberContext(
  orgSlug: string,
  permission?: Permission,
  options: { allowWithoutTwoFactor?: boolean } = {},
): Promise<MemberSession | null> {
  const user = await currentUser();
  if (!user) return null;
  const member = await findMember(user.id, orgSlug);
  if (!member) return null;
  if (permission && !can(member.role, permission)) return null;
  if (member.twoFactorMissing && !options.allowWithoutTwoFactor) throw twoFactorRequired();
  const meta = requestMeta(await headers());
  return {
    user,
    org: member.org,
    role: member.role,
    twoFactorMissing: member.twoFactorMissing,
    ctx: {
      orgId: member.org.id,
      orgSlug: member.org.slug,
      role: member.role,
      actor: { type: 'MEMBER', id: user.id, label: user.email },
      ...meta,
    },
  };
}

function twoFactorRequired(): AppError {
  return new AppError(
    'two_factor_required',
    'This organization requires two-factor authentication: turn it on under Your account first.',
  );
}

/**
 * requireMember is for pages: signed out → sign-in page; not a member, or a role without the
 * page's permission → 404 (the page does not exist for them); a member who still needs to turn
 * on a second factor the organization requires → Your account, where they can.
 */
export async function requireMember(
  orgSlug: string,
  permission?: Permission,
  options: { allowWithoutTwoFactor?: boolean } = {},
): Promise<MemberSession> {
  const user = await currentUser();
  if (!user) redirect(paths.signIn());
  const session = await memberContext(orgSlug, permission, { allowWithoutTwoFactor: true });
  if (!session) notFound();
  if (session.twoFactorMissing && !options.allowWithoutTwoFactor) redirect(paths.account(orgSlug));
  return session;
}
