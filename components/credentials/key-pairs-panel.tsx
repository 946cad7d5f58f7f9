'use client';

import { useState } from 'react';
import { useFormAction } from '@/components/forms/use-form-action';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Table, Td } from '@/components/ui/table';
import type { CreatedKeyPairDto, KeyConfigDto, KeyPairDto } from '@/lib/service-accounts/schema';
import type { CredentialActivity } from '@/lib/service-accounts/activity';
import { CredentialLifecycleCells, EnableDisableDelete } from './credential-row';
import { expiryHint } from './format';
import { SecretRevealDialog } from './secret-reveal-dialog';
import type { FormAction } from './types';

export type KeyPairActions = {
  create: FormAction<CreatedKeyPairDto>;
  setStatus: FormAction<void>;
  remove: FormAction<void>;
};

/**
 * KeyPairsPanel lists an account's ES256 key pairs and, for writers, generates one (the
 * private key config is shown once, to download), uploads a public key, enables, disables
 * and deletes.
 */
export function KeyPairsPanel({
  orgSlug,
  accountId,
  keys,
  canWrite,
  maxDays,
  actions,
  activity,
}: {
  orgSlug: string;
  accountId: string;
  keys: KeyPairDto[];
  canWrite: boolean;
  maxDays: number;
  actions: KeyPairActions;
  /** Each credential's last 7 days, by id (an activity column when given). */
  activity?: Record<string, CredentialActivity>;
}) {
  const [config, setConfig] = useState<KeyConfigDto | null>(null);
  const [uploaded, setUploaded] = useState<string | null>(null);
  const handle =
    (after: () => void) => async (prev: Awaited<ReturnType<typeof actions.create>> | null, fd: FormData) => {
      const result = await actions.create(prev, fd);
      if (!result.ok) return result;
      if (result.data.config) setConfig(result.data.config);
      else setUploaded(result.data.keyPair.id);
      after();
      // The private key stays out of the form state: only the dialog's state holds it.
      return { ok: true as const, data: { ...result.data, config: null } };
    };
  const generate = useFormAction(
    handle(() => setUploaded(null)),
    { resetOnSuccess: true },
  );
  const upload = useFormAction(
    handle(() => undefined),
    { resetOnSuccess: true },
  );
  const base = { orgSlug, accountId };

  return (
    <section id="keys" aria-labelledby="keys-heading" className="scroll-mt-4 space-y-3">
      <h2 id="keys-heading" className="text-lg font-semibold">
        Key pairs
      </h2>
      <p className="text-sm text-gray-600">
        ES256 keys sign JWT assertions (jwt-bearer grant, private_key_jwt). The key id is the assertion&apos;s{' '}
        <code>iss</code>.
      </p>
      {keys.length === 0 ? (
        <p className="text-sm text-gray-500">No key pairs yet.</p>
      ) : (
        <Table
          caption="Key pairs"
          columns={[
            'Name',
            'Key id',
            'Thumbprint',
            'Origin',
            'Status',
            'Expires',
            'Last used',
            ...(activity ? ['Last 7 days'] : []),
            ...(canWrite ? ['Actions'] : []),
          ]}
        >
          {keys.map((k) => (
            <tr key={k.id}>
              <Td className="font-medium">{k.name}</Td>
              <Td>
                <code className="text-xs">{k.id}</code>
              </Td>
              <Td>
                <code className="break-all text-xs" title="RFC 7638 JWK thumbprint">
                  {k.thumbprint}
                </code>
              </Td>
              <Td>
                <Badge tone={k.origin === 'GENERATED' ? 'blue' : 'gray'}>
                  {k.origin === 'GENERATED' ? 'Generated' : 'Uploaded'}
                </Badge>
              </Td>
              <CredentialLifecycleCells credential={k} activity={activity ? { of: activity[k.id] } : undefined} />
              {canWrite ? (
                <Td>
                  <div className="flex flex-wrap gap-2">
                    <EnableDisableDelete
                      actions={actions}
                      fields={{ ...base, keyId: k.id }}
                      status={k.status}
                      credential={{ kind: 'key pair', name: k.name, id: k.id, createdAt: k.createdAt }}
                      consequence="Assertions signed with it are refused."
                    />
                  </div>
                </Td>
              ) : null}
            </tr>
          ))}
        </Table>
      )}
      {uploaded ? <Alert tone="success">Public key uploaded as {uploaded}.</Alert> : null}
      {canWrite ? (
        <div className="grid gap-4 lg:grid-cols-2">
          <form
            ref={generate.formRef}
            onSubmit={generate.onSubmit}
            aria-label="Generate key pair"
            className="space-y-3 rounded-lg bg-white p-4 ring-1 ring-gray-200"
            noValidate
          >
            <h3 className="text-sm font-semibold">Generate a key pair</h3>
            <input type="hidden" name="orgSlug" value={orgSlug} />
            <input type="hidden" name="accountId" value={accountId} />
            <Field name="name" id="generate-key-name" label="Key name" required errors={generate.fieldErrors.name} />
            <Field
              name="expiresAt"
              id="generate-key-expires"
              label="Key expires on (optional)"
              type="date"
              hint={expiryHint(maxDays)}
              errors={generate.fieldErrors.expiresAt}
            />
            {generate.state && !generate.state.ok && !generate.state.fieldErrors ? (
              <Alert>{generate.state.message}</Alert>
            ) : null}
            <Button type="submit" disabled={generate.pending}>
              {generate.pending ? 'Generating…' : 'Generate key pair'}
            </Button>
          </form>
          <form
            ref={upload.formRef}
            onSubmit={upload.onSubmit}
            aria-label="Upload public key"
            className="space-y-3 rounded-lg bg-white p-4 ring-1 ring-gray-200"
            noValidate
          >
            <h3 className="text-sm font-semibold">Upload a public key</h3>
            <input type="hidden" name="orgSlug" value={orgSlug} />
            <input type="hidden" name="accountId" value={accountId} />
            <Field
              name="name"
              id="upload-key-name"
              label="Uploaded key name"
              required
              errors={upload.fieldErrors.name}
            />
            <div className="space-y-1">
              <label htmlFor="upload-key-public" className="block text-sm font-medium text-gray-900">
                Public key (PEM or JWK, ES256)
              </label>
              <textarea
                id="upload-key-public"
                name="publicKey"
                rows={5}
                required
                aria-invalid={upload.fieldErrors.publicKey ? true : undefined}
                aria-describedby="upload-key-public-error"
                placeholder={'-----BEGIN PUBLIC KEY-----\n…\n-----END PUBLIC KEY-----'}
                className="block w-full rounded-md px-3 py-2 font-mono text-xs ring-1 ring-gray-300"
              />
              <p id="upload-key-public-error" aria-live="polite" className="text-xs text-red-600">
                {upload.fieldErrors.publicKey?.join(' ')}
              </p>
            </div>
            <Field
              name="expiresAt"
              id="upload-key-expires"
              label="Uploaded key expires on (optional)"
              type="date"
              errors={upload.fieldErrors.expiresAt}
            />
            {upload.state && !upload.state.ok && !upload.state.fieldErrors ? (
              <Alert>{upload.state.message}</Alert>
            ) : null}
            <Button type="submit" disabled={upload.pending}>
              {upload.pending ? 'Uploading…' : 'Upload public key'}
            </Button>
          </form>
        </div>
      ) : null}
      {config ? (
        <SecretRevealDialog
          title="Key pair generated"
          description="Save the private key config; Latchkey keeps only the public key."
          items={[
            { label: 'Key id', value: config.key_id },
            { label: 'Private key config', value: JSON.stringify(config, null, 2), multiline: true },
          ]}
          downloads={[
            {
              label: 'Download key config (JSON)',
              filename: `${config.key_id}.json`,
              type: 'application/json',
              content: `${JSON.stringify(config, null, 2)}\n`,
            },
          ]}
          onClose={() => setConfig(null)}
        />
      ) : null}
    </section>
  );
}
