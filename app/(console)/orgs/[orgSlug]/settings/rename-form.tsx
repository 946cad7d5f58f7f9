'use client';

import { useId, useState } from 'react';
import { useFormAction } from '@/components/forms/use-form-action';
import type { ActionResult } from '@/lib/actions/define-action';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';

type Action<T> = (p: ActionResult<T> | null, f: FormData) => Promise<ActionResult<T>>;

/**
 * RenameForm renames a catalog object (project, environment, scope, role) in place: a "Rename" toggle opens a one-field
 * form with the current name; `hidden` are the ids the action needs.
 */
export function RenameForm({
  orgSlug,
  hidden,
  label,
  current,
  action,
  hint,
}: {
  orgSlug: string;
  hidden: Record<string, string>;
  label: string;
  current: string;
  action: Action<{ id: string; name: string }>;
  hint?: string;
}) {
  const [open, setOpen] = useState(false);
  const { state, onSubmit, pending, fieldErrors } = useFormAction(action, { onSuccess: () => setOpen(false) });
  const fieldId = useId();
  if (!open)
    return (
      <Button
        variant="ghost"
        className="px-2.5 py-1 text-xs"
        onClick={() => setOpen(true)}
        aria-label={`Rename ${label}`}
      >
        Rename
      </Button>
    );
  return (
    <form onSubmit={onSubmit} className="flex w-full items-start gap-2" noValidate aria-label={`Rename ${label}`}>
      <input type="hidden" name="orgSlug" value={orgSlug} />
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <Field
        name="name"
        id={fieldId}
        label={`New name for ${label}`}
        defaultValue={current}
        hint={hint}
        className="flex-1"
        errors={fieldErrors.name ?? (state && !state.ok && !state.fieldErrors ? [state.message] : undefined)}
      />
      <Button type="submit" variant="secondary" className="mt-6" disabled={pending}>
        Save
      </Button>
      <Button variant="ghost" className="mt-6" onClick={() => setOpen(false)}>
        Cancel
      </Button>
    </form>
  );
}
