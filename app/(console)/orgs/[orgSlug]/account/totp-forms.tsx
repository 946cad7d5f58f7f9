'use client';

import { signOut } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { SecretRevealDialog } from '@/components/credentials/secret-reveal-dialog';
import { useFormAction } from '@/components/forms/use-form-action';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import type { ActionResult } from '@/lib/actions/define-action';
import { paths } from '@/lib/paths';
import {
  changePasswordAction,
  confirmTotpAction,
  disableTotpAction,
  regenerateRecoveryCodesAction,
  startTotpAction,
} from './actions';

export function TotpStartForm() {
  const { state, onSubmit, pending } = useFormAction(startTotpAction);
  return (
    <form onSubmit={onSubmit}>
      {state && !state.ok ? <Alert>{state.message}</Alert> : null}
      <Button type="submit" disabled={pending}>
        {pending ? 'Preparing…' : 'Set up two-factor authentication'}
      </Button>
    </form>
  );
}

type CodeAction<T> = (previous: ActionResult<T> | null, formData: FormData) => Promise<ActionResult<T>>;

function CodeForm<T>({
  action,
  submit,
  variant,
  label,
}: {
  action: CodeAction<T>;
  submit: string;
  variant: 'primary' | 'secondary' | 'danger';
  label: string;
}) {
  const { state, onSubmit, pending, fieldErrors } = useFormAction(action);
  return (
    <form onSubmit={onSubmit} className="flex max-w-sm flex-col gap-3" noValidate aria-label={label}>
      {state && !state.ok && !state.fieldErrors ? <Alert>{state.message}</Alert> : null}
      <Field
        name="code"
        label="Authenticator code"
        inputMode="numeric"
        autoComplete="one-time-code"
        required
        errors={fieldErrors.code}
      />
      <Button type="submit" variant={variant} disabled={pending}>
        {pending ? 'Checking…' : submit}
      </Button>
    </form>
  );
}

/**
 * RecoveryCodesForm runs an action that answers with new recovery codes, shows them once in
 * the reveal dialog (they live only in this component's state), and refreshes the page when
 * the dialog closes.
 */
function RecoveryCodesForm({
  action,
  submit,
  variant,
  label,
  title,
}: {
  action: CodeAction<string[]>;
  submit: string;
  variant: 'primary' | 'secondary';
  label: string;
  title: string;
}) {
  const router = useRouter();
  const [codes, setCodes] = useState<string[] | null>(null);
  const wrapped: CodeAction<string[]> = async (previous, formData) => {
    const result = await action(previous, formData);
    if (!result.ok) return result;
    setCodes(result.data);
    return { ok: true, data: [] };
  };
  return (
    <>
      <CodeForm action={wrapped} submit={submit} variant={variant} label={label} />
      {codes ? (
        <SecretRevealDialog
          title={title}
          description="Each recovery code signs you in once if you lose your authenticator. Keep them somewhere safe, apart from your password."
          items={[{ label: 'Recovery codes', value: codes.join('\n'), multiline: true }]}
          downloads={[
            {
              label: 'Download .txt',
              filename: 'latchkey-recovery-codes.txt',
              content: `${codes.join('\n')}\n`,
              type: 'text/plain',
            },
          ]}
          onClose={() => {
            setCodes(null);
            router.refresh();
          }}
        />
      ) : null}
    </>
  );
}

export function TotpConfirmForm() {
  return (
    <RecoveryCodesForm
      action={confirmTotpAction}
      submit="Turn on two-factor authentication"
      variant="primary"
      label="Turn on two-factor authentication"
      title="Two-factor authentication is on: your recovery codes"
    />
  );
}

export function RegenerateRecoveryCodesForm() {
  return (
    <RecoveryCodesForm
      action={regenerateRecoveryCodesAction}
      submit="Create new recovery codes"
      variant="secondary"
      label="Create new recovery codes"
      title="Your new recovery codes"
    />
  );
}

export function TotpDisableForm() {
  return (
    <CodeForm
      action={disableTotpAction}
      submit="Turn off two-factor authentication"
      variant="danger"
      label="Turn off two-factor authentication"
    />
  );
}

/**
 * ChangePasswordForm changes the signed-in person's password. Every session ends with it, this
 * one too, so on success it signs out and asks for the new password.
 */
export function ChangePasswordForm() {
  const { state, onSubmit, pending, fieldErrors } = useFormAction(changePasswordAction);
  useEffect(() => {
    if (state?.ok) void signOut({ callbackUrl: `${paths.signIn()}?error=password_changed` });
  }, [state]);
  return (
    <form onSubmit={onSubmit} className="flex max-w-sm flex-col gap-3" noValidate aria-label="Change your password">
      {state && !state.ok && !state.fieldErrors ? <Alert>{state.message}</Alert> : null}
      <Field
        name="currentPassword"
        label="Current password"
        type="password"
        autoComplete="current-password"
        required
        errors={fieldErrors.currentPassword}
      />
      <Field
        name="newPassword"
        label="New password"
        type="password"
        autoComplete="new-password"
        required
        hint="At least 12 characters. Every session of yours ends, this one too."
        errors={fieldErrors.newPassword}
      />
      <Field
        name="confirmPassword"
        label="New password again"
        type="password"
        autoComplete="new-password"
        required
        errors={fieldErrors.confirmPassword}
      />
      <Button type="submit" disabled={pending}>
        {pending ? 'Changing…' : 'Change password'}
      </Button>
    </form>
  );
}
