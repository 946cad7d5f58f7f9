'use client';

import { startTransition, useActionState, useRef, type FormEvent } from 'react';
import type { ActionResult } from '@/lib/actions/define-action';

/**
 * useFormAction runs a server action from a form's submit event. Unlike `<form action>`, it
 * does not reset the form afterwards, so a user who gets a field error keeps what they typed.
 * With `resetOnSuccess`, attach the returned `formRef` and the form is cleared after a success
 * (create forms, and forms holding a secret that must not linger in the page). `onSuccess` runs
 * with the action's data as soon as it answers.
 */
export function useFormAction<T>(
  action: (previous: ActionResult<T> | null, formData: FormData) => Promise<ActionResult<T>>,
  options: { resetOnSuccess?: boolean; onSuccess?: (data: T) => void } = {},
) {
  const formRef = useRef<HTMLFormElement>(null);
  const resetOnSuccess = options.resetOnSuccess ?? false;
  // The form is cleared the moment the action answers, not when React commits the new state
  // (after the route refresh that follows): a dialog the action opened can be closed and the
  // form filled again before then, and a late reset would wipe what was typed.
  const [state, dispatch, pending] = useActionState<ActionResult<T> | null, FormData>(async (previous, formData) => {
    const result = await action(previous, formData);
    if (resetOnSuccess && result.ok) formRef.current?.reset();
    // In the same transition as the result: e.g. an inline form closes in the commit that shows
    // the refreshed page, never a frame after it.
    if (result.ok) options.onSuccess?.(result.data);
    return result;
  }, null);
  /** submit runs the action with form data read earlier (e.g. once a confirmation was accepted). */
  function submit(formData: FormData) {
    startTransition(() => dispatch(formData));
  }
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    submit(new FormData(event.currentTarget));
  }
  const fieldErrors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  return { state, onSubmit, submit, pending, fieldErrors, formRef };
}
