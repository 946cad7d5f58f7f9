'use client';

import { useState } from 'react';
import { ActionButton } from '@/components/ui/action-button';
import { useFormAction } from '@/components/forms/use-form-action';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { ROLES, ROLE_LABELS, type Role } from '@/lib/auth/roles';
import {
  addMemberAction,
  changeRoleAction,
  removeMemberAction,
  resetPasswordAction,
  resetTwoFactorAction,
} from './actions';

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
  twoFactor,
  resettable,
}: {
  orgSlug: string;
  userId: string;
  email: string;
  role: Role;
  twoFactor: boolean;
  /** Not the owner's own row: they use Your account. */
  resettable: boolean;
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
      {resettable ? <ResetLoginForms orgSlug={orgSlug} userId={userId} email={email} twoFactor={twoFactor} /> : null}
    </div>
  );
}

/**
 * ResetLoginForms lets an owner give a member a new initial password, or turn off a second factor
 * they lost; either ends the member's sessions. The server refuses people who also belong to
 * another organization.
 */
function ResetLoginForms({
  orgSlug,
  userId,
  email,
  twoFactor,
}: {
  orgSlug: string;
  userId: string;
  email: string;
  twoFactor: boolean;
}) {
  const reset = useFormAction(resetPasswordAction, { resetOnSuccess: true });
  return (
    <details className="w-full text-sm">
      <summary className="cursor-pointer text-xs text-brand-700">Reset login</summary>
      <form
        ref={reset.formRef}
        onSubmit={reset.onSubmit}
        className="mt-2 flex flex-wrap items-end gap-2"
        aria-label={`Reset the password of ${email}`}
        noValidate
      >
        <input type="hidden" name="orgSlug" value={orgSlug} />
        <input type="hidden" name="userId" value={userId} />
        <Field
          name="password"
          id={`reset-password-${userId}`}
          label="New initial password"
          type="password"
          autoComplete="new-password"
          hint="At least 12 characters; hand it over yourself. Their sessions end."
          errors={reset.fieldErrors.password}
        />
        <Button type="submit" variant="secondary" disabled={reset.pending}>
          Set password
        </Button>
        {reset.state?.ok ? (
          <span role="status" className="pb-2 text-xs text-green-700">
            Password set
          </span>
        ) : null}
        {reset.state && !reset.state.ok && !reset.state.fieldErrors ? (
          <p role="alert" className="w-full text-xs text-red-600">
            {reset.state.message}
          </p>
        ) : null}
      </form>
      {twoFactor ? (
        <div className="mt-2">
          <ActionButton
            action={resetTwoFactorAction}
            fields={{ orgSlug, userId }}
            label="Reset two-factor"
            confirm={{
              title: `Reset the second factor of ${email}?`,
              body: (
                <p>
                  Their authenticator and recovery codes stop working and their sessions end. They sign in with their
                  password and set up two-factor authentication again.
                </p>
              ),
              confirmLabel: 'Reset two-factor',
            }}
          />
        </div>
      ) : null}
    </details>
  );
}
