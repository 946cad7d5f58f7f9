'use client';

import { useFormAction } from '@/components/forms/use-form-action';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { createRoleAction, createScopeAction } from './catalog-actions';

export function CreateScopeForm({ orgSlug }: { orgSlug: string }) {
  const { state, onSubmit, pending, fieldErrors, formRef } = useFormAction(createScopeAction, {
    resetOnSuccess: true,
  });
  return (
    <form ref={formRef} onSubmit={onSubmit} className="mt-4 space-y-3" noValidate aria-label="New scope">
      <input type="hidden" name="orgSlug" value={orgSlug} />
      {state && !state.ok && !state.fieldErrors ? <Alert>{state.message}</Alert> : null}
      {state?.ok ? <Alert tone="success">Scope “{state.data.name}” added.</Alert> : null}
      <Field
        name="name"
        id="scope-name"
        label="Scope name"
        required
        placeholder="fleet:read"
        errors={fieldErrors.name}
      />
      <Field name="description" id="scope-description" label="Description" errors={fieldErrors.description} />
      <Button type="submit" disabled={pending}>
        {pending ? 'Adding…' : 'Add scope'}
      </Button>
    </form>
  );
}

export function CreateRoleForm({ orgSlug }: { orgSlug: string }) {
  const { state, onSubmit, pending, fieldErrors, formRef } = useFormAction(createRoleAction, {
    resetOnSuccess: true,
  });
  return (
    <form ref={formRef} onSubmit={onSubmit} className="mt-4 space-y-3" noValidate aria-label="New role">
      <input type="hidden" name="orgSlug" value={orgSlug} />
      {state && !state.ok && !state.fieldErrors ? <Alert>{state.message}</Alert> : null}
      {state?.ok ? <Alert tone="success">Role “{state.data.name}” added.</Alert> : null}
      <Field
        name="name"
        id="role-name"
        label="Role name"
        required
        placeholder="fleet.operator"
        errors={fieldErrors.name}
      />
      <Field name="description" id="role-description" label="Description" errors={fieldErrors.description} />
      <div className="space-y-1">
        <label htmlFor="role-kind" className="block text-sm font-medium">
          Kind
        </label>
        <select
          id="role-kind"
          name="kind"
          defaultValue="PROJECT"
          aria-invalid={fieldErrors.kind ? true : undefined}
          aria-describedby="role-kind-hint role-kind-error"
          className="w-full rounded-md px-3 py-2 text-sm ring-1 ring-gray-300"
        >
          <option value="PROJECT">Project role: bound to one project</option>
          <option value="ORGANIZATION">Organization role: bound organization-wide</option>
        </select>
        <p id="role-kind-hint" className="text-xs text-gray-500">
          Fixed once the role exists. A binding lets tokens be narrowed to its project (or to any, organization-wide).
        </p>
        <p id="role-kind-error" aria-live="polite" className="text-xs text-red-600">
          {fieldErrors.kind?.join(' ')}
        </p>
      </div>
      <Button type="submit" disabled={pending}>
        {pending ? 'Adding…' : 'Add role'}
      </Button>
    </form>
  );
}
