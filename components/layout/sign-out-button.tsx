'use client';

import { signOut } from 'next-auth/react';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { paths } from '@/lib/paths';

export function SignOutButton() {
  const [pending, setPending] = useState(false);
  return (
    <Button
      variant="ghost"
      className="w-full justify-start"
      disabled={pending}
      onClick={() => {
        setPending(true);
        void signOut({ callbackUrl: paths.signIn() });
      }}
    >
      {pending ? 'Signing out…' : 'Sign out'}
    </Button>
  );
}
