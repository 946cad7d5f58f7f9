import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { Card } from '@/components/ui/card';
import { oidcEnabled, env } from '@/lib/env';
import { paths } from '@/lib/paths';
import { needsSetup } from '@/lib/setup/complete-setup';
import { SignInForm } from './sign-in-form';

export const metadata: Metadata = { title: 'Sign in' };
export const dynamic = 'force-dynamic';

function one(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export default async function SignInPage({ searchParams }: PageProps<'/sign-in'>) {
  if (await needsSetup()) redirect(paths.setup());
  const params = await searchParams;
  const e = env();
  return (
    <Card>
      <h1 className="mb-6 text-lg font-semibold">Sign in to Latchkey</h1>
      <SignInForm
        initialEmail={one(params.email)?.slice(0, 254) ?? ''}
        setupDone={one(params.setup) === 'done'}
        initialError={one(params.error)?.slice(0, 64)}
        sso={oidcEnabled(e) ? { name: e.OIDC_NAME } : null}
      />
    </Card>
  );
}
