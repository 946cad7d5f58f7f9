'use client';

import { useState } from 'react';
import { useFormAction } from '@/components/forms/use-form-action';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Table, Td } from '@/components/ui/table';
import type { ClientSecretDto, CreatedClientSecretDto, RotatedClientSecretDto } from '@/lib/service-accounts/schema';
import { ROTATION_GRACE_HOURS } from '@/lib/service-accounts/schema';
import type { CredentialActivity } from '@/lib/service-accounts/activity';
import { CredentialLifecycleCells, EnableDisableDelete } from './credential-row';
import { expiryHint, formatDateTime } from './format';
import { SecretRevealDialog } from './secret-reveal-dialog';
import type { FormAction } from './types';

type Revealed = { keyId: string; secret: string; name: string; expiresAt: string };

const GRACE_LABEL: Record<number, string> = {
  0: 'Immediately',
  1: '1 hour',
  24: '24 hours',
  72: '3 days',
  168: '7 days',
  720: '30 days',
};

export type ClientSecretActions = {
  create: FormAction<CreatedClientSecretDto>;
  rotate: FormAction<RotatedClientSecretDto>;
  setStatus: FormAction<void>;
  remove: FormAction<void>;
};

/**
 * ClientSecretsPanel lists an account's client secrets and, for writers, issues, rotates,
 * enables, disables and deletes them. A new secret is shown once in the reveal dialog; the
 * value is dropped from state when the dialog closes.
 */
export function ClientSecretsPanel({
  orgSlug,
  accountId,
  accountName,
  secrets,
  canWrite,
  tokenUrl,
  maxDays,
  actions,
  activity,
}: {
  orgSlug: string;
  accountId: string;
  accountName: string;
  secrets: ClientSecretDto[];
  canWrite: boolean;
  tokenUrl: string;
  maxDays: number;
  actions: ClientSecretActions;
  /** Each credential's last 7 days, by id (an activity column when given). */
  activity?: Record<string, CredentialActivity>;
}) {
  const [revealed, setRevealed] = useState<Revealed | null>(null);
  const create = useFormAction(
    async (prev: Awaited<ReturnType<typeof actions.create>> | null, fd: FormData) => {
      const result = await actions.create(prev, fd);
      if (result.ok)
        setRevealed({
          keyId: result.data.clientSecret.id,
          secret: result.data.secret,
          name: result.data.clientSecret.name,
          expiresAt: result.data.clientSecret.expiresAt,
        });
      // Keep the secret out of the form state: only the dialog's state holds it.
      return result.ok ? { ok: true as const, data: { ...result.data, secret: '' } } : result;
    },
    { resetOnSuccess: true },
  );
  const base = { orgSlug, accountId };

  return (
    <section id="secrets" aria-labelledby="secrets-heading" className="scroll-mt-4 space-y-3">
      <h2 id="secrets-heading" className="text-lg font-semibold">
        Client secrets
      </h2>
      <p className="text-sm text-gray-600">
        Use the key id and the secret as HTTP Basic credentials (<code>key_id:secret</code>) or as{' '}
        <code>client_id</code>/<code>client_secret</code> at the token endpoint.
      </p>
      {secrets.length === 0 ? (
        <p className="text-sm text-gray-500">No client secrets yet.</p>
      ) : (
        <Table
          caption="Client secrets"
          columns={[
            'Name',
            'Key id',
            'Secret',
            'Status',
            'Expires',
            'Last used',
            ...(activity ? ['Last 7 days'] : []),
            ...(canWrite ? ['Actions'] : []),
          ]}
        >
          {secrets.map((s) => (
            <tr key={s.id}>
              <Td className="font-medium">{s.name}</Td>
              <Td>
                <code className="text-xs">{s.id}</code>
                <RotationLinks secret={s} />
              </Td>
              <Td>
                <code className="text-xs">{s.hint}</code>
              </Td>
              <CredentialLifecycleCells credential={s} activity={activity ? { of: activity[s.id] } : undefined} />
              {canWrite ? (
                <Td>
                  <div className="flex flex-wrap items-start gap-2">
                    {s.status === 'ENABLED' ? (
                      <RotateForm
                        base={{ ...base, secretId: s.id }}
                        name={s.name}
                        action={actions.rotate}
                        onRotated={setRevealed}
                      />
                    ) : null}
                    <EnableDisableDelete
                      actions={actions}
                      fields={{ ...base, secretId: s.id }}
                      status={s.status}
                      credential={{ kind: 'secret', name: s.name, id: s.id, createdAt: s.createdAt }}
                      consequence="Callers using it stop getting tokens."
                    />
                  </div>
                </Td>
              ) : null}
            </tr>
          ))}
        </Table>
      )}
      {canWrite ? (
        <form
          ref={create.formRef}
          onSubmit={create.onSubmit}
          className="flex flex-wrap items-end gap-3 rounded-lg bg-white p-4 ring-1 ring-gray-200"
          aria-label="New client secret"
          noValidate
        >
          <input type="hidden" name="orgSlug" value={orgSlug} />
          <input type="hidden" name="accountId" value={accountId} />
          <Field
            name="name"
            id="secret-name"
            label="Secret name"
            required
            placeholder="production"
            errors={create.fieldErrors.name}
            className="w-56"
          />
          <Field
            name="expiresAt"
            id="secret-expires"
            label="Secret expires on (optional)"
            type="date"
            hint={expiryHint(maxDays)}
            errors={create.fieldErrors.expiresAt}
            className="w-56"
          />
          <Button type="submit" disabled={create.pending}>
            {create.pending ? 'Creating…' : 'Create secret'}
          </Button>
          {create.state && !create.state.ok && !create.state.fieldErrors ? <Alert>{create.state.message}</Alert> : null}
        </form>
      ) : null}
      {revealed ? (
        <SecretRevealDialog
          title={`Client secret "${revealed.name}" created`}
          description={`Store the secret of ${accountName} in your secret manager.`}
          items={[
            { label: 'Key id', value: revealed.keyId },
            { label: 'Client secret', value: revealed.secret },
          ]}
          usage={`curl -u '${revealed.keyId}:<secret>' -d grant_type=client_credentials ${tokenUrl}`}
          downloads={[
            {
              label: 'Download JSON',
              filename: `${revealed.keyId}.json`,
              type: 'application/json',
              content: `${JSON.stringify({ type: 'latchkey_client_secret', key_id: revealed.keyId, client_id: revealed.keyId, client_secret: revealed.secret, service_account_id: accountId, token_url: tokenUrl, expires_at: revealed.expiresAt }, null, 2)}\n`,
            },
            {
              label: 'Download .env',
              filename: `${revealed.keyId}.env`,
              type: 'text/plain',
              content: `LATCHKEY_CLIENT_ID=${revealed.keyId}\nLATCHKEY_CLIENT_SECRET=${revealed.secret}\nLATCHKEY_TOKEN_URL=${tokenUrl}\n`,
            },
          ]}
          onClose={() => setRevealed(null)}
        />
      ) : null}
    </section>
  );
}

function RotateForm({
  base,
  name,
  action,
  onRotated,
}: {
  base: { orgSlug: string; accountId: string; secretId: string };
  name: string;
  action: FormAction<RotatedClientSecretDto>;
  onRotated: (r: Revealed) => void;
}) {
  const [open, setOpen] = useState(false);
  const rotate = useFormAction(async (prev: Awaited<ReturnType<typeof action>> | null, fd: FormData) => {
    const result = await action(prev, fd);
    if (result.ok) {
      onRotated({
        keyId: result.data.clientSecret.id,
        secret: result.data.secret,
        name: result.data.clientSecret.name,
        expiresAt: result.data.clientSecret.expiresAt,
      });
      setOpen(false);
      return { ok: true as const, data: { ...result.data, secret: '' } };
    }
    return result;
  });
  if (!open) {
    return (
      <Button variant="secondary" className="px-2.5 py-1 text-xs" onClick={() => setOpen(true)}>
        Rotate
      </Button>
    );
  }
  return (
    <form
      onSubmit={rotate.onSubmit}
      aria-label={`Rotate ${name}`}
      className="flex flex-col gap-2 rounded-md bg-gray-50 p-2 ring-1 ring-gray-200"
    >
      {Object.entries(base).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <label className="text-xs font-medium" htmlFor={`grace-${base.secretId}`}>
        Old secret stays valid for
      </label>
      <select
        id={`grace-${base.secretId}`}
        name="gracePeriodHours"
        defaultValue="24"
        className="rounded-md px-2 py-1 text-xs ring-1 ring-gray-300"
      >
        {ROTATION_GRACE_HOURS.map((h) => (
          <option key={h} value={h}>
            {GRACE_LABEL[h] ?? `${h} hours`}
          </option>
        ))}
      </select>
      <div className="flex gap-2">
        <Button type="submit" className="px-2.5 py-1 text-xs" disabled={rotate.pending}>
          {rotate.pending ? 'Rotating…' : 'Rotate secret'}
        </Button>
        <Button variant="ghost" className="px-2.5 py-1 text-xs" onClick={() => setOpen(false)}>
          Cancel
        </Button>
      </div>
      {rotate.state && !rotate.state.ok ? (
        <span role="alert" className="max-w-xs text-xs text-red-700">
          {rotate.state.message}
        </span>
      ) : null}
    </form>
  );
}

/**
 * RotationLinks says where a secret sits in a rotation: the secret it was rotated from, and the
 * one that replaced it with the moment this one stops working (the end of the grace period).
 */
function RotationLinks({ secret: s }: { secret: ClientSecretDto }) {
  if (!s.replacesId && !s.replacedById) return null;
  return (
    <ul className="mt-1 space-y-0.5 text-xs text-gray-600">
      {s.replacesId ? (
        <li>
          Replaces <code>{s.replacesId}</code>
        </li>
      ) : null}
      {s.replacedById ? (
        <li>
          Replaced by <code>{s.replacedById}</code>
          {s.status === 'ENABLED' && !s.expired ? <> · stops working {formatDateTime(s.expiresAt)}</> : null}
        </li>
      ) : null}
    </ul>
  );
}
