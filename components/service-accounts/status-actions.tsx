'use client';

import { useEffect, useRef, useState } from 'react';
import { useFormAction } from '@/components/forms/use-form-action';
import { ActionButton } from '@/components/ui/action-button';
import type { FormAction } from '@/components/credentials/types';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';

/**
 * StatusActions offers suspend / reactivate, and revocation behind a dialog where the
 * account name must be typed: revocation cannot be undone.
 */
export function StatusActions({
  orgSlug,
  account,
  actions,
}: {
  orgSlug: string;
  account: { id: string; name: string; status: 'ACTIVE' | 'SUSPENDED' | 'REVOKED' };
  actions: { suspend: FormAction<void>; reactivate: FormAction<void>; revoke: FormAction<void> };
}) {
  const [confirming, setConfirming] = useState(false);
  if (account.status === 'REVOKED') return null;
  const fields = { orgSlug, accountId: account.id };
  return (
    <div className="flex flex-wrap items-start gap-2">
      {account.status === 'ACTIVE' ? (
        <ActionButton
          action={actions.suspend}
          fields={fields}
          label="Suspend"
          confirm={{
            title: `Suspend ${account.name}?`,
            body: (
              <p>
                <code className="text-xs">{account.id}</code> gets no new tokens, and the tokens it already holds stop
                working at once. Reactivating it later lets it obtain new tokens; the old ones stay dead.
              </p>
            ),
            confirmLabel: 'Suspend',
          }}
        />
      ) : (
        <ActionButton action={actions.reactivate} fields={fields} label="Reactivate" variant="primary" />
      )}
      <Button variant="danger" className="px-2.5 py-1 text-xs" onClick={() => setConfirming(true)}>
        Revoke
      </Button>
      {confirming ? (
        <RevokeDialog
          orgSlug={orgSlug}
          account={account}
          action={actions.revoke}
          onClose={() => setConfirming(false)}
        />
      ) : null}
    </div>
  );
}

function RevokeDialog({
  orgSlug,
  account,
  action,
  onClose,
}: {
  orgSlug: string;
  account: { id: string; name: string };
  action: FormAction<void>;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [typed, setTyped] = useState('');
  const { state, onSubmit, pending, fieldErrors } = useFormAction(action);
  useEffect(() => {
    if (ref.current && !ref.current.open) ref.current.showModal();
  }, []);
  useEffect(() => {
    if (state?.ok) onClose();
  }, [state, onClose]);
  return (
    <dialog
      ref={ref}
      aria-labelledby="revoke-title"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      className="m-auto w-full max-w-lg rounded-lg bg-white p-6 shadow-xl backdrop:bg-gray-900/50 dark:backdrop:bg-black/70"
    >
      <h2 id="revoke-title" className="text-lg font-semibold text-red-800">
        Revoke {account.name}?
      </h2>
      <p className="mt-2 text-sm text-gray-700">
        Revocation is permanent: every secret, key and token pair of this account is disabled, its refresh tokens are
        revoked, and it can never be reactivated. The record stays for the audit log.
      </p>
      <form onSubmit={onSubmit} className="mt-4 space-y-3" noValidate>
        <input type="hidden" name="orgSlug" value={orgSlug} />
        <input type="hidden" name="accountId" value={account.id} />
        <Field
          name="confirmName"
          label={`Type "${account.name}" to confirm`}
          autoComplete="off"
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          errors={fieldErrors.confirmName}
        />
        {state && !state.ok && !state.fieldErrors ? <Alert>{state.message}</Alert> : null}
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" variant="danger" disabled={pending || typed !== account.name}>
            {pending ? 'Revoking…' : 'Revoke permanently'}
          </Button>
        </div>
      </form>
    </dialog>
  );
}
