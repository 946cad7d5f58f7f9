'use client';

import { useFormAction } from '@/components/forms/use-form-action';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { createEnvironmentAction, createProjectAction } from './actions';

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
