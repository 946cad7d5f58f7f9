'use client';

import { useState } from 'react';
import { useFormAction } from '@/components/forms/use-form-action';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
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
  const { state, submit, pending } = useFormAction(action);
  const [asking, setAsking] = useState<FormData | null>(null);
  const vehicles = state && !state.ok ? state.fieldErrors?.vehicles : undefined;
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        setAsking(new FormData(event.currentTarget));
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
      {asking ? (
        <ConfirmDialog
          spec={{
            title: `Delete the OEM credential “${name}”?`,
            body: (
              <p>
                <code className="text-xs">{id}</code>: its encrypted client secret is destroyed. This cannot be undone.
              </p>
            ),
            confirmLabel: 'Delete',
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
