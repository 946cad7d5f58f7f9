'use client';

import { useFormAction } from '@/components/forms/use-form-action';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import type { ActionResult } from '@/lib/actions/define-action';

/** UpdateSecretForm replaces a credential's client secret (the only field that can change). */
export function UpdateSecretForm({
  orgSlug,
  id,
  action,
}: {
  orgSlug: string;
  id: string;
  action: (p: ActionResult<void> | null, f: FormData) => Promise<ActionResult<void>>;
}) {
  const { state, onSubmit, pending, fieldErrors, formRef } = useFormAction(action, { resetOnSuccess: true });
  return (
    <form ref={formRef} onSubmit={onSubmit} className="space-y-4" noValidate aria-label="Replace client secret">
      <input type="hidden" name="orgSlug" value={orgSlug} />
      <input type="hidden" name="id" value={id} />
      {state?.ok ? (
        <Alert tone="success">
          Client secret replaced. The new one is stored encrypted and will not be shown again.
        </Alert>
      ) : null}
      {state && !state.ok ? <Alert>{state.message}</Alert> : null}
      <Field
        name="client_secret"
        label="New client secret"
        type="password"
        required
        autoComplete="new-password"
        errors={fieldErrors.client_secret}
      />
      <Button type="submit" disabled={pending}>
        {pending ? 'Saving…' : 'Replace secret'}
      </Button>
    </form>
  );
}
