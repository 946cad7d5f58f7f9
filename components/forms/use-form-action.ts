'use client';

import { startTransition, useActionState, type FormEvent } from 'react';
import type { ActionResult } from '@/lib/actions/define-action';

/**
 * useFormAction runs a server action from a form's submit event. Unlike `<form action>`, it
 * does not reset the form afterwards, so a user who gets a field error keeps what they typed.
 */
export function useFormAction<T>(action: (previous: ActionResult<T> | null, formData: FormData) => Promise<ActionResult<T>>) {
  const [state, dispatch, pending] = useActionState<ActionResult<T> | null, FormData>(action, null);
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formData = new FormData(event.currentTarget);
    startTransition(() => dispatch(formData));
  }
  const fieldErrors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  return { state, onSubmit, pending, fieldErrors };
}
