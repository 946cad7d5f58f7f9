'use client';

import { useEffect, useId, useState } from 'react';
import { useFormAction } from '@/components/forms/use-form-action';
import { ConfirmDialog, type ConfirmSpec } from '@/components/ui/confirm-dialog';
import type { ActionResult } from '@/lib/actions/define-action';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { createEnvironmentAction, createProjectAction, createScopeAction } from './actions';

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

export function CreateProjectForm({ orgSlug }: { orgSlug: string }) {
  const { state, onSubmit, pending, fieldErrors, formRef } = useFormAction(createProjectAction, {
    resetOnSuccess: true,
  });
  return (
    <form ref={formRef} onSubmit={onSubmit} className="space-y-3" noValidate aria-label="New project">
      <input type="hidden" name="orgSlug" value={orgSlug} />
      {state && !state.ok && !state.fieldErrors ? <Alert>{state.message}</Alert> : null}
      {state?.ok ? <Alert tone="success">Project “{state.data.name}” created.</Alert> : null}
      <Field name="name" id="project-name" label="Project name" required errors={fieldErrors.name} />
      <Field name="description" id="project-description" label="Description" errors={fieldErrors.description} />
      <Field
        name="environments"
        label="Environments"
        placeholder="production, staging, development"
        hint="Comma-separated; empty for production, staging and development."
        errors={fieldErrors.environments}
      />
      <Button type="submit" disabled={pending}>
        {pending ? 'Creating…' : 'Create project'}
      </Button>
    </form>
  );
}

export function AddEnvironmentForm({
  orgSlug,
  projectId,
  projectName,
}: {
  orgSlug: string;
  projectId: string;
  projectName: string;
}) {
  const { state, onSubmit, pending, fieldErrors, formRef } = useFormAction(createEnvironmentAction, {
    resetOnSuccess: true,
  });
  return (
    <form
      ref={formRef}
      onSubmit={onSubmit}
      className="mt-2 flex items-start gap-2"
      noValidate
      aria-label={`Add an environment to ${projectName}`}
    >
      <input type="hidden" name="orgSlug" value={orgSlug} />
      <input type="hidden" name="projectId" value={projectId} />
      <Field
        name="name"
        id={`env-${projectId}`}
        label={`New environment in ${projectName}`}
        className="flex-1"
        errors={fieldErrors.name ?? (state && !state.ok && !state.fieldErrors ? [state.message] : undefined)}
      />
      <Button type="submit" variant="secondary" className="mt-6" disabled={pending}>
        Add
      </Button>
    </form>
  );
}

type Action<T> = (p: ActionResult<T> | null, f: FormData) => Promise<ActionResult<T>>;

/**
 * RenameForm renames a project or an environment in place: a "Rename" toggle opens a one-field
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
  const { state, onSubmit, pending, fieldErrors } = useFormAction(action);
  const fieldId = useId();
  useEffect(() => {
    if (state?.ok) setOpen(false);
  }, [state]);
  if (!open)
    return (
      <Button variant="ghost" onClick={() => setOpen(true)} aria-label={`Rename ${label}`}>
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

/**
 * DeleteButton runs a destructive change (delete, retire) of a catalog object after the
 * confirmation dialog says what it does; `verb` is the button's word ("Delete" by default).
 */
export function DeleteButton({
  orgSlug,
  hidden,
  label,
  spec,
  action,
  verb = 'Delete',
}: {
  orgSlug: string;
  hidden: Record<string, string>;
  label: string;
  spec: ConfirmSpec;
  action: Action<void>;
  verb?: string;
}) {
  const { state, submit, pending } = useFormAction(action);
  const [asking, setAsking] = useState<FormData | null>(null);
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        setAsking(new FormData(event.currentTarget));
      }}
    >
      <input type="hidden" name="orgSlug" value={orgSlug} />
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <Button type="submit" variant="ghost" disabled={pending} aria-label={`${verb} ${label}`}>
        {verb}
      </Button>
      {state && !state.ok ? (
        <p role="alert" className="text-xs text-red-600">
          {state.message}
        </p>
      ) : null}
      {asking ? (
        <ConfirmDialog
          spec={spec}
          onCancel={() => setAsking(null)}
          onConfirm={() => {
            submit(asking);
            setAsking(null);
          }}
        />
      ) : null}
    </form>
  );
}
