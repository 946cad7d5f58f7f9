'use client';

import { useFormAction } from '@/components/forms/use-form-action';
import { Button } from '@/components/ui/button';
import type { ActionResult } from '@/lib/actions/define-action';

/** RemoveVehicleButton removes one vehicle after a confirmation. */
export function RemoveVehicleButton({
  orgSlug,
  id,
  vin,
  action,
}: {
  orgSlug: string;
  id: string;
  vin: string;
  action: (p: ActionResult<void> | null, f: FormData) => Promise<ActionResult<void>>;
}) {
  const { state, onSubmit, pending } = useFormAction(action);
  return (
    <form
      onSubmit={(event) => {
        if (!window.confirm(`Remove vehicle ${vin}?`)) {
          event.preventDefault();
          return;
        }
        onSubmit(event);
      }}
    >
      <input type="hidden" name="orgSlug" value={orgSlug} />
      <input type="hidden" name="id" value={id} />
      <Button type="submit" variant="ghost" disabled={pending} aria-label={`Remove ${vin}`}>
        Remove
      </Button>
      {state && !state.ok ? (
        <p role="alert" className="text-xs text-red-600">
          {state.message}
        </p>
      ) : null}
    </form>
  );
}
