'use client';

import { useFormAction } from '@/components/forms/use-form-action';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import type { ActionResult } from '@/lib/actions/define-action';

/** DeleteCredentialForm deletes a credential; while vehicles use it, the error names them. */
export function DeleteCredentialForm({
  orgSlug,
  id,
  name,
  action,
}: {
  orgSlug: string;
  id: string;
  name: string;
  action: (p: ActionResult<void> | null, f: FormData) => Promise<ActionResult<void>>;
}) {
  const { state, onSubmit, pending } = useFormAction(action);
  const vehicles = state && !state.ok ? state.fieldErrors?.vehicles : undefined;
  return (
    <form
      onSubmit={(event) => {
        if (!window.confirm(`Delete the OEM credential “${name}”?`)) {
          event.preventDefault();
          return;
        }
        onSubmit(event);
      }}
      className="space-y-3"
    >
      <input type="hidden" name="orgSlug" value={orgSlug} />
      <input type="hidden" name="id" value={id} />
      {state && !state.ok ? (
        <Alert>
          <p>{state.message}</p>
          {vehicles?.length ? (
            <ul aria-label="Vehicles using this credential" className="mt-1 list-inside list-disc font-mono text-xs">
              {vehicles.map((vin) => (
                <li key={vin}>{vin}</li>
              ))}
            </ul>
          ) : null}
        </Alert>
      ) : null}
      <Button type="submit" variant="danger" disabled={pending}>
        {pending ? 'Deleting…' : 'Delete credential'}
      </Button>
    </form>
  );
}
