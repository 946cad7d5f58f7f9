'use client';

import { startTransition, useActionState, useEffect, useRef, type FormEvent } from 'react';
import type { ActionResult } from '@/lib/actions/define-action';

/**
 * useFormAction runs a server action from a form's submit event. Unlike `<form action>`, it
 * does not reset the form afterwards, so a user who gets a field error keeps what they typed.
 * With `resetOnSuccess`, attach the returned `formRef` and the form is cleared after a success
 * (create forms, and forms holding a secret that must not linger in the page).
 */
export function useFormAction<T>(
  action: (previous: ActionResult<T> | null, formData: FormData) => Promise<ActionResult<T>>,
  options: { resetOnSuccess?: boolean } = {},
) {
  const [state, dispatch, pending] = useActionState<ActionResult<T> | null, FormData>(action, null);
  const formRef = useRef<HTMLFormElement>(null);
  const resetOnSuccess = options.resetOnSuccess ?? false;
  useEffect(() => {
    if (resetOnSuccess && state?.ok) formRef.current?.reset();
  }, [state, resetOnSuccess]);
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
