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
  requireTwoFactor,
  canSetTwoFactor,
}: {
  orgSlug: string;
  name: string;
  maxCredentialLifetimeDays: number;
  requireTwoFactor: boolean;
  /** Owners decide whether members need a second factor. */
  canSetTwoFactor: boolean;
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
      {canSetTwoFactor ? (
        <div>
          <label htmlFor="org-2fa" className="block text-sm font-medium text-gray-900">
            Two-factor authentication for members
          </label>
          <select
            id="org-2fa"
            name="requireTwoFactor"
            defaultValue={requireTwoFactor ? 'true' : 'false'}
            aria-describedby="org-2fa-hint"
            className="mt-1 rounded-md px-3 py-2 text-sm ring-1 ring-gray-300"
          >
            <option value="false">Optional</option>
            <option value="true">Required</option>
          </select>
          <p id="org-2fa-hint" className="mt-1 text-xs text-gray-500">
            Required: members without it can only set it up until they do. Owners need it themselves first.
          </p>
          {fieldErrors.requireTwoFactor ? (
            <p role="alert" className="mt-1 text-xs text-red-700">
              {fieldErrors.requireTwoFactor.join(' ')}
            </p>
          ) : null}
        </div>
      ) : null}
      <Button type="submit" disabled={pending}>
        {pending ? 'Saving…' : 'Save'}
      </Button>
    </form>
  );
}
