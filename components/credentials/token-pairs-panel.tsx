'use client';

import { useState } from 'react';
import { useFormAction } from '@/components/forms/use-form-action';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Table, Td } from '@/components/ui/table';
import type { CreatedTokenPairDto, TokenPairDto } from '@/lib/service-accounts/schema';
import type { CredentialActivity } from '@/lib/service-accounts/activity';
import { CredentialLifecycleCells, EnableDisableDelete } from './credential-row';
import { SecretRevealDialog } from './secret-reveal-dialog';
import type { FormAction } from './types';

export type TokenPairActions = {
  create: FormAction<CreatedTokenPairDto>;
  setStatus: FormAction<void>;
  remove: FormAction<void>;
};

/**
 * TokenPairsPanel lists a client-platform account's client token + server token pairs; the
 * server token is shown once after creation.
 */
export function TokenPairsPanel({
  orgSlug,
  accountId,
  pairs,
  canWrite,
  actions,
  tokenUrl,
  activity,
}: {
  orgSlug: string;
  accountId: string;
  pairs: TokenPairDto[];
  canWrite: boolean;
  actions: TokenPairActions;
  /** Each credential's last 7 days, by id (an activity column when given). */
  activity?: Record<string, CredentialActivity>;
  tokenUrl: string;
}) {
  const [revealed, setRevealed] = useState<{ clientToken: string; serverToken: string; id: string } | null>(null);
  const create = useFormAction(
    async (prev: Awaited<ReturnType<typeof actions.create>> | null, fd: FormData) => {
      const result = await actions.create(prev, fd);
      if (!result.ok) return result;
      setRevealed({
        clientToken: result.data.tokenPair.clientToken,
        serverToken: result.data.serverToken,
        id: result.data.tokenPair.id,
      });
      return { ok: true as const, data: { ...result.data, serverToken: '' } };
    },
    { resetOnSuccess: true },
  );
  const base = { orgSlug, accountId };
  return (
    <section id="token-pairs" aria-labelledby="token-pairs-heading" className="scroll-mt-4 space-y-3">
      <h2 id="token-pairs-heading" className="text-lg font-semibold">
        Client token pairs
      </h2>
      <p className="text-sm text-gray-600">
        The client token may ship in the app; the server token stays on your backend. Only both together mint tokens for
        the app.
      </p>
      {pairs.length === 0 ? (
        <p className="text-sm text-gray-500">No client token pairs yet.</p>
      ) : (
        <Table
          caption="Client token pairs"
          columns={[
            'Client token',
            'Status',
            'Expires',
            'Last used',
            ...(activity ? ['Last 7 days'] : []),
            ...(canWrite ? ['Actions'] : []),
          ]}
        >
          {pairs.map((p) => (
            <tr key={p.id}>
              <Td>
                <code className="break-all text-xs">{p.clientToken}</code>
              </Td>
              <CredentialLifecycleCells credential={p} activity={activity ? { of: activity[p.id] } : undefined} />
              {canWrite ? (
                <Td>
                  <div className="flex flex-wrap gap-2">
                    <EnableDisableDelete
                      actions={actions}
                      fields={{ ...base, pairId: p.id }}
                      status={p.status}
                      credential={{
                        kind: 'client token pair',
                        name: p.clientToken.slice(0, 16) + '…',
                        id: p.id,
                        createdAt: p.createdAt,
                      }}
                      consequence="Apps using it stop getting tokens."
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
          aria-label="New client token pair"
          className="flex flex-wrap items-end gap-3 rounded-lg bg-white p-4 ring-1 ring-gray-200"
          noValidate
        >
          <input type="hidden" name="orgSlug" value={orgSlug} />
          <input type="hidden" name="accountId" value={accountId} />
          <Field
            name="expiresAt"
            id="pair-expires"
            label="Token pair expires on (optional)"
            type="date"
            errors={create.fieldErrors.expiresAt}
            className="w-56"
          />
          <Button type="submit" disabled={create.pending}>
            {create.pending ? 'Creating…' : 'Create token pair'}
          </Button>
          {create.state && !create.state.ok && !create.state.fieldErrors ? <Alert>{create.state.message}</Alert> : null}
        </form>
      ) : null}
      {revealed ? (
        <SecretRevealDialog
          title="Client token pair created"
          description="The server token is secret: keep it on your backend."
          usage={`# the backend gets a token (and a refresh token) for the app:\ncurl -u '${revealed.id}:<server token>' -d grant_type=client_credentials ${tokenUrl}\n# later, a new pair from the refresh token (single use, rotated):\ncurl -u '${revealed.id}:<server token>' -d grant_type=refresh_token -d refresh_token=<refresh token> ${tokenUrl}`}
          items={[
            { label: 'Client token', value: revealed.clientToken },
            { label: 'Server token', value: revealed.serverToken },
          ]}
          downloads={[
            {
              label: 'Download .env',
              filename: `${revealed.id}.env`,
              type: 'text/plain',
              content: `LATCHKEY_CLIENT_TOKEN=${revealed.clientToken}\nLATCHKEY_SERVER_TOKEN=${revealed.serverToken}\n`,
            },
          ]}
          onClose={() => setRevealed(null)}
        />
      ) : null}
    </section>
  );
}
