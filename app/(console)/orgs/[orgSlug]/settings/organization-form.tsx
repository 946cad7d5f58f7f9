'use client';

import { useFormAction } from '@/components/forms/use-form-action';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { updateOrganizationAction } from './actions';

export function OrganizationForm({
  orgSlug,
  name,
  maxCredentialLifetimeDays,
}: {
  orgSlug: string;
  name: string;
  maxCredentialLifetimeDays: number;
}) {
  const { state, onSubmit, pending, fieldErrors } = useFormAction(updateOrganizationAction);
  return (
    <form onSubmit={onSubmit} className="space-y-3" noValidate aria-label="Organization settings">
      <input type="hidden" name="orgSlug" value={orgSlug} />
      {state && !state.ok && !state.fieldErrors ? <Alert>{state.message}</Alert> : null}
      {state?.ok ? <Alert tone="success">Saved.</Alert> : null}
      <Field name="name" id="org-name" label="Name" defaultValue={name} required errors={fieldErrors.name} />
      <Field
        name="maxCredentialLifetimeDays"
        label="Maximum credential lifetime (days)"
        type="number"
        min={1}
        max={3650}
        defaultValue={maxCredentialLifetimeDays}
        hint="New secrets, key pairs and token pairs expire at the latest after this many days."
        errors={fieldErrors.maxCredentialLifetimeDays}
      />
      <Button type="submit" disabled={pending}>
        {pending ? 'Saving…' : 'Save'}
      </Button>
    </form>
  );
}
