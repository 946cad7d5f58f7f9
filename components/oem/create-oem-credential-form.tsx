'use client';

import { useFormAction } from '@/components/forms/use-form-action';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import type { ActionResult } from '@/lib/actions/define-action';
import { BRAND_LABELS, CREDENTIAL_BRANDS } from '@/lib/oem/brands';
import { LabelledSelect } from './labelled-select';

type Created = { id: string; name: string };

/**
 * CreateOemCredentialForm stores a manufacturer credential. The secret goes to the server once
 * and is never shown again: on success the form is cleared, the secret field included.
 */
export function CreateOemCredentialForm({
  orgSlug,
  action,
}: {
  orgSlug: string;
  action: (p: ActionResult<Created> | null, f: FormData) => Promise<ActionResult<Created>>;
}) {
  const { state, onSubmit, pending, fieldErrors, formRef } = useFormAction(action, { resetOnSuccess: true });
  return (
    <form ref={formRef} onSubmit={onSubmit} className="space-y-4" noValidate aria-label="Add OEM credential">
      <input type="hidden" name="orgSlug" value={orgSlug} />
      {state?.ok ? (
        <Alert tone="success">
          Saved “{state.data.name}”. The client secret is stored encrypted and will not be shown again.
        </Alert>
      ) : null}
      {state && !state.ok ? <Alert>{state.message}</Alert> : null}
      <LabelledSelect
        name="brand"
        label="Brand"
        options={CREDENTIAL_BRANDS.map((b) => ({ value: b, label: BRAND_LABELS[b] }))}
        errors={fieldErrors.brand}
      />
      <Field
        name="name"
        label="Name"
        required
        errors={fieldErrors.name}
        hint="Unique in this organization, e.g. “Mercedes fleet API”."
      />
      <Field name="client_id" label="Client ID" required autoComplete="off" errors={fieldErrors.client_id} />
      <Field
        name="client_secret"
        label="Client secret"
        type="password"
        required
        autoComplete="new-password"
        errors={fieldErrors.client_secret}
        hint="Stored encrypted; never displayed again."
      />
      <Button type="submit" disabled={pending}>
        {pending ? 'Saving…' : 'Add credential'}
      </Button>
    </form>
  );
}
