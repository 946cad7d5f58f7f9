'use client';

import { startTransition, useActionState, useState } from 'react';
import type { ActionResult } from '@/lib/actions/define-action';
import { Button } from '@/components/ui/button';
import { ConfirmDialog, type ConfirmSpec } from '@/components/ui/confirm-dialog';

type Action<T> = (previous: ActionResult<T> | null, formData: FormData) => Promise<ActionResult<T>>;

/**
 * ActionButton is a one-button form posting hidden fields to a server action, showing the
 * action's error next to it. With `confirm`, the action runs only after the confirmation
 * dialog (components/ui/confirm-dialog.tsx) was accepted.
 */
export function ActionButton<T>({
  action,
  fields,
  label,
  pendingLabel,
  variant = 'secondary',
  confirm,
  className,
  ariaLabel,
}: {
  action: Action<T>;
  fields: Record<string, string>;
  label: string;
  pendingLabel?: string;
  variant?: 'primary' | 'secondary' | 'danger' | 'ghost';
  confirm?: ConfirmSpec;
  className?: string;
  /** The button's accessible name when its label alone is ambiguous ("Delete" in a list). */
  ariaLabel?: string;
}) {
  const [state, dispatch, pending] = useActionState<ActionResult<T> | null, FormData>(action, null);
  const [asking, setAsking] = useState<FormData | null>(null);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        const formData = new FormData(e.currentTarget);
        if (confirm) setAsking(formData);
        else startTransition(() => dispatch(formData));
      }}
      className={className ?? 'inline-flex flex-col items-start'}
    >
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <Button type="submit" variant={variant} disabled={pending} className="px-2.5 py-1 text-xs" aria-label={ariaLabel}>
        {pending ? (pendingLabel ?? `${label}…`) : label}
      </Button>
      {state && !state.ok ? (
        <span role="alert" className="mt-1 max-w-xs text-xs text-red-700">
          {state.message}
        </span>
      ) : null}
      {confirm && asking ? (
        <ConfirmDialog
          spec={confirm}
          onCancel={() => setAsking(null)}
          onConfirm={() => {
            const formData = asking;
            setAsking(null);
            startTransition(() => dispatch(formData));
          }}
        />
      ) : null}
    </form>
  );
}
