'use client';

import { signIn } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { z } from 'zod';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { signInErrorMessage, signInInput } from '@/lib/auth/schema';
import { paths } from '@/lib/paths';

type Props = { initialEmail: string; setupDone: boolean; initialError?: string; sso: { name: string } | null };

export function SignInForm({ initialEmail, setupDone, initialError, sso }: Props) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(initialError ? signInErrorMessage(initialError) : null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[] | undefined>>({});
  const [needsCode, setNeedsCode] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const code = form.get('code');
    const parsed = signInInput.safeParse({
      email: form.get('email'),
      password: form.get('password'),
      ...(needsCode ? { code } : {}),
    });
    if (!parsed.success) {
      setFieldErrors(z.flattenError(parsed.error).fieldErrors);
      setError(null);
      return;
    }
    setFieldErrors({});
    setPending(true);
    const result = await signIn('credentials', { ...parsed.data, redirect: false });
    if (!result || result.error) {
      setPending(false);
      if (result?.error === 'totp_required') {
        // The password was right; this member also needs their authenticator code.
        setNeedsCode(true);
        setError(null);
        return;
      }
      setError(signInErrorMessage(result?.error ?? 'internal'));
      return;
    }
    router.replace(paths.home());
    router.refresh();
  }

  return (
    <div className="space-y-4">
      {setupDone && !error ? (
        <Alert tone="success">Your organization is ready. Sign in with the account you just created.</Alert>
      ) : null}
      {error ? <Alert>{error}</Alert> : null}
      <form onSubmit={onSubmit} className="space-y-4" noValidate>
        <Field
          name="email"
          label="Email"
          type="email"
          autoComplete="username"
          defaultValue={initialEmail}
          required
          errors={fieldErrors.email}
        />
        <Field
          name="password"
          label="Password"
          type="password"
          autoComplete="current-password"
          required
          errors={fieldErrors.password}
        />
        {needsCode ? (
          <Field
            name="code"
            label="Authenticator code"
            autoComplete="one-time-code"
            autoFocus
            required
            hint="Two-factor authentication is on for this account: enter the 6-digit code from your app, or one of your recovery codes."
            errors={fieldErrors.code}
          />
        ) : null}
        <Button type="submit" className="w-full" disabled={pending}>
          {pending ? 'Signing in…' : 'Sign in'}
        </Button>
      </form>
      {sso ? (
        <Button
          variant="secondary"
          className="w-full"
          onClick={() => void signIn('oidc', { callbackUrl: paths.home() })}
        >
          Sign in with {sso.name}
        </Button>
      ) : null}
    </div>
  );
}
