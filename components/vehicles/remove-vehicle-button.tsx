'use client';

import { useState } from 'react';
import { useFormAction } from '@/components/forms/use-form-action';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import type { ActionResult } from '@/lib/actions/define-action';

/** RemoveVehicleButton removes one vehicle after the confirmation dialog. */
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
      <input type="hidden" name="id" value={id} />
      <Button type="submit" variant="ghost" disabled={pending} aria-label={`Remove ${vin}`}>
        Remove
      </Button>
      {state && !state.ok ? (
        <p role="alert" className="text-xs text-red-600">
          {state.message}
        </p>
      ) : null}
      {asking ? (
        <ConfirmDialog
          spec={{
            title: `Remove vehicle ${vin}?`,
            body: <p>It is no longer connected through its OEM credential. You can add it again later.</p>,
            confirmLabel: 'Remove',
          }}
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
