import { redirect } from 'next/navigation';
import { membershipsOf } from '@/lib/auth/members';
import { currentUser } from '@/lib/auth/session';
import { paths } from '@/lib/paths';
import { needsSetup } from '@/lib/setup/complete-setup';

export const dynamic = 'force-dynamic';

// GET /: send people where they belong: setup on a fresh install, sign-in, or their first organization.
export default async function HomePage() {
  if (await needsSetup()) redirect(paths.setup());
  const user = await currentUser();
  if (!user) redirect(paths.signIn());
  const [first] = await membershipsOf(user.id);
  if (!first) redirect(`${paths.signIn()}?error=no_organization`);
  redirect(paths.org(first.slug));
}
