'use client';

import { useState } from 'react';
import { useFormAction } from '@/components/forms/use-form-action';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { ROLES, ROLE_LABELS, type Role } from '@/lib/auth/roles';
import { addMemberAction, changeRoleAction, removeMemberAction } from './actions';

function RoleSelect({ id, defaultValue, label }: { id: string; defaultValue?: Role; label: string }) {
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-gray-900">
        {label}
      </label>
      <select
        id={id}
        name="role"
        defaultValue={defaultValue ?? 'ADMIN'}
        className="block rounded-md border-0 px-3 py-2 text-sm ring-1 ring-gray-300 ring-inset"
      >
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {ROLE_LABELS[r]}
          </option>
        ))}
      </select>
    </div>
  );
}

export function AddMemberForm({ orgSlug }: { orgSlug: string }) {
  const { state, onSubmit, pending, fieldErrors, formRef } = useFormAction(addMemberAction, { resetOnSuccess: true });
  return (
    <form ref={formRef} onSubmit={onSubmit} className="grid gap-3 sm:grid-cols-2" noValidate aria-label="Add a member">
      <input type="hidden" name="orgSlug" value={orgSlug} />
      <div className="sm:col-span-2">
        {state && !state.ok ? <Alert>{state.message}</Alert> : null}
        {state?.ok ? <Alert tone="success">{state.data.email} is now a member.</Alert> : null}
      </div>
      <Field name="email" id="member-email" label="Email" type="email" required errors={fieldErrors.email} />
      <RoleSelect id="member-role" label="Role" />
      <Field name="name" id="member-name" label="Name (new logins only)" errors={fieldErrors.name} />
      <Field
        name="password"
        id="member-password"
        label="Initial password (new logins only)"
        type="password"
        autoComplete="new-password"
        hint="At least 12 characters; hand it over yourself."
        errors={fieldErrors.password}
      />
      <div className="sm:col-span-2">
        <Button type="submit" disabled={pending}>
          {pending ? 'Adding…' : 'Add member'}
        </Button>
      </div>
    </form>
  );
}

export function MemberRowActions({
  orgSlug,
  userId,
  email,
  role,
}: {
  orgSlug: string;
  userId: string;
  email: string;
  role: Role;
}) {
  const change = useFormAction(changeRoleAction);
  const remove = useFormAction(removeMemberAction);
  const [confirming, setConfirming] = useState(false);
  const error =
    (change.state && !change.state.ok ? change.state.message : null) ??
    (remove.state && !remove.state.ok ? remove.state.message : null);
  return (
    <div className="flex flex-wrap items-end gap-2">
      <form onSubmit={change.onSubmit} className="flex items-end gap-2" aria-label={`Role of ${email}`}>
        <input type="hidden" name="orgSlug" value={orgSlug} />
        <input type="hidden" name="userId" value={userId} />
        <RoleSelect id={`role-${userId}`} defaultValue={role} label={`Role of ${email}`} />
        <Button type="submit" variant="secondary" disabled={change.pending}>
          Save role
        </Button>
        {change.state?.ok && !change.pending ? (
          <span role="status" className="pb-2 text-xs text-green-700">
            Saved
          </span>
        ) : null}
      </form>
      <form onSubmit={remove.onSubmit} aria-label={`Remove ${email}`}>
        <input type="hidden" name="orgSlug" value={orgSlug} />
        <input type="hidden" name="userId" value={userId} />
        {/* Distinct keys: reusing one <button> would turn the click on "Remove" into a submit. */}
        {confirming ? (
          <Button key="confirm" type="submit" variant="danger" disabled={remove.pending}>
            Confirm removal
          </Button>
        ) : (
          <Button key="remove" variant="ghost" onClick={() => setConfirming(true)}>
            Remove
          </Button>
        )}
      </form>
      {error ? (
        <p role="alert" className="w-full text-xs text-red-600">
          {error}
        </p>
      ) : null}
    </div>
  );
}
