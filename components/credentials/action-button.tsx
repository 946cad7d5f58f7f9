'use client';

import { useActionState } from 'react';
import type { ActionResult } from '@/lib/actions/define-action';
import { Button } from '@/components/ui/button';

type Action<T> = (previous: ActionResult<T> | null, formData: FormData) => Promise<ActionResult<T>>;

/**
 * ActionButton is a one-button form posting hidden fields to a server action, showing the
 * action's error next to it. `confirm` asks before destructive changes.
 */
export function ActionButton<T>({
  action,
  fields,
  label,
  pendingLabel,
  variant = 'secondary',
  confirm,
  className,
}: {
  action: Action<T>;
  fields: Record<string, string>;
  label: string;
  pendingLabel?: string;
  variant?: 'primary' | 'secondary' | 'danger' | 'ghost';
  confirm?: string;
  className?: string;
}) {
  const [state, dispatch, pending] = useActionState<ActionResult<T> | null, FormData>(action, null);
  return (
    <form
      action={dispatch}
      onSubmit={(e) => {
        if (confirm && !window.confirm(confirm)) e.preventDefault();
      }}
      className={className ?? 'inline-flex flex-col items-start'}
    >
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <Button type="submit" variant={variant} disabled={pending} className="px-2.5 py-1 text-xs">
        {pending ? (pendingLabel ?? `${label}…`) : label}
      </Button>
      {state && !state.ok ? (
        <span role="alert" className="mt-1 max-w-xs text-xs text-red-700">
          {state.message}
        </span>
      ) : null}
    </form>
  );
}
