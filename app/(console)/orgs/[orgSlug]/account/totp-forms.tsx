'use client';

import { useFormAction } from '@/components/forms/use-form-action';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { confirmTotpAction, disableTotpAction, startTotpAction } from './actions';

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

function CodeForm({
  action,
  submit,
  variant,
}: {
  action: typeof confirmTotpAction;
  submit: string;
  variant: 'primary' | 'danger';
}) {
  const { state, onSubmit, pending, fieldErrors } = useFormAction(action);
  return (
    <form onSubmit={onSubmit} className="flex max-w-sm flex-col gap-3" noValidate>
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

export function TotpConfirmForm() {
  return <CodeForm action={confirmTotpAction} submit="Turn on two-factor authentication" variant="primary" />;
}

export function TotpDisableForm() {
  return <CodeForm action={disableTotpAction} submit="Turn off two-factor authentication" variant="danger" />;
}
