import 'server-only';
import { db } from '@/lib/db/client';

/**
 * setLifecycleEmailOptOut records whether a member receives lifecycle e-mail in one
 * organization (kept apart from the sender, so the console's bundle never loads nodemailer).
 */
export async function setLifecycleEmailOptOut(organizationId: string, userId: string, optOut: boolean): Promise<void> {
  await db.membership.update({
    where: { organizationId_userId: { organizationId, userId } },
    data: { lifecycleEmailOptOut: optOut },
  });
}
