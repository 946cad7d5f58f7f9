'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { useFormAction } from '@/components/forms/use-form-action';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { paths } from '@/lib/paths';
import { completeSetupAction } from './actions';

export function SetupForm() {
  const router = useRouter();
  const { state, onSubmit, pending, fieldErrors: errors } = useFormAction(completeSetupAction);

  useEffect(() => {
    if (state?.ok) router.push(`${paths.signIn()}?setup=done&email=${encodeURIComponent(state.data.email)}`);
  }, [state, router]);

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      {state && !state.ok && !state.fieldErrors ? <Alert>{state.message}</Alert> : null}
      <Field
        name="organizationName"
        label="Organization name"
        autoComplete="organization"
        required
        errors={errors.organizationName}
      />
      <Field name="name" label="Your name" autoComplete="name" required errors={errors.name} />
      <Field name="email" label="Email" type="email" autoComplete="email" required errors={errors.email} />
      <Field
        name="password"
        label="Password"
        type="password"
        autoComplete="new-password"
        required
        hint="At least 12 characters."
        errors={errors.password}
      />
      <Field
        name="confirmPassword"
        label="Repeat password"
        type="password"
        autoComplete="new-password"
        required
        errors={errors.confirmPassword}
      />
      <Button type="submit" className="w-full" disabled={pending || state?.ok}>
        {pending ? 'Creating…' : 'Create organization'}
      </Button>
    </form>
  );
}
