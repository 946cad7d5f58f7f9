import { Td } from '@/components/ui/table';
import { ActionButton } from './action-button';
import { CredentialStatusBadge } from './credential-status-badge';
import { formatDateTime } from './format';
import { LastUsed } from './last-used';
import type { FormAction } from './types';

type Lifecycle = {
  status: 'ENABLED' | 'DISABLED';
  expired: boolean;
  expiringSoon: boolean;
  expiresAt: string;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
};

/** CredentialLifecycleCells are the cells every credential table shows: status, expiry and last use. */
export function CredentialLifecycleCells({ credential: c }: { credential: Lifecycle }) {
  return (
    <>
      <Td>
        <CredentialStatusBadge status={c.status} expired={c.expired} expiringSoon={c.expiringSoon} />
      </Td>
      <Td>{formatDateTime(c.expiresAt)}</Td>
      <Td>
        <LastUsed at={c.lastUsedAt} ip={c.lastUsedIp} />
      </Td>
    </>
  );
}

/**
 * EnableDisableDelete are the two actions every credential has: switch its status, and delete
 * it (after `confirm`). `fields` name the credential to the actions.
 */
export function EnableDisableDelete({
  actions,
  fields,
  status,
  confirm,
}: {
  actions: { setStatus: FormAction<void>; remove: FormAction<void> };
  fields: Record<string, string>;
  status: 'ENABLED' | 'DISABLED';
  confirm: string;
}) {
  return (
    <>
      <ActionButton
        action={actions.setStatus}
        fields={{ ...fields, status: status === 'ENABLED' ? 'DISABLED' : 'ENABLED' }}
        label={status === 'ENABLED' ? 'Disable' : 'Enable'}
      />
      <ActionButton action={actions.remove} fields={fields} label="Delete" variant="danger" confirm={confirm} />
    </>
  );
}
