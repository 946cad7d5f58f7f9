import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { Card } from '@/components/ui/card';
import { paths } from '@/lib/paths';
import { needsSetup } from '@/lib/setup/complete-setup';
import { SetupForm } from './setup-form';

export const metadata: Metadata = { title: 'Set up Latchkey' };
export const dynamic = 'force-dynamic';

export default async function SetupPage() {
  // The page exists only until the first user does.
  if (!(await needsSetup())) redirect(paths.signIn());
  return (
    <Card>
      <h1 className="text-lg font-semibold">Set up Latchkey</h1>
      <p className="mt-1 mb-6 text-sm text-gray-600">
        Create your organization and its owner account. This page closes once it is done.
      </p>
      <SetupForm />
    </Card>
  );
}
