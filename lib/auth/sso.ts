import 'server-only';
import { db } from '@/lib/db/client';

/**
 * findOrLinkSsoUser maps an OIDC identity to an existing console user: by subject when already
 * linked, otherwise by verified email (linking the subject on first use). Returns null for an
 * identity nobody provisioned: SSO grants no access by itself.
 */
export async function findOrLinkSsoUser(identity: {
  subject: string;
  email: string | null;
}): Promise<{ id: string } | null> {
  const bySubject = await db.user.findUnique({ where: { oidcSubject: identity.subject }, select: { id: true } });
  if (bySubject) return bySubject;
  if (!identity.email) return null;
  const byEmail = await db.user.findUnique({
    where: { email: identity.email.toLowerCase() },
    select: { id: true, oidcSubject: true },
  });
  if (!byEmail || byEmail.oidcSubject) return null;
  await db.user.update({
    where: { id: byEmail.id },
    data: { oidcSubject: identity.subject, lastSignInAt: new Date() },
  });
  return { id: byEmail.id };
}
