'use client';

import { useFormAction } from '@/components/forms/use-form-action';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import type { ActionResult } from '@/lib/actions/define-action';
import type { ChainVerification } from '@/lib/audit/dto';

const REASONS: Record<string, string> = {
  hash_mismatch: 'its contents no longer match its hash (the event was altered)',
  prev_hash_mismatch: 'it does not point at the hash of the event before it (an earlier event was altered or replaced)',
  sequence_gap: 'it is missing (an event was deleted)',
};

/** VerifyChainButton re-checks the organization's whole hash chain and says where it breaks. */
export function VerifyChainButton({
  orgSlug,
  action,
}: {
  orgSlug: string;
  action: (p: ActionResult<ChainVerification> | null, f: FormData) => Promise<ActionResult<ChainVerification>>;
}) {
  const { state, onSubmit, pending } = useFormAction(action);
  return (
    <form onSubmit={onSubmit} className="space-y-2">
      <input type="hidden" name="orgSlug" value={orgSlug} />
      <Button type="submit" variant="secondary" disabled={pending}>
        {pending ? 'Verifying…' : 'Verify chain'}
      </Button>
      {state?.ok && state.data.intact ? (
        <Alert tone="success">
          Chain intact: {state.data.checked.toLocaleString('en')} events verified, none altered or missing.
        </Alert>
      ) : null}
      {state?.ok && !state.data.intact && state.data.first_broken_link ? (
        <Alert>
          Chain broken at event #{state.data.first_broken_link.seq}:{' '}
          {REASONS[state.data.first_broken_link.reason] ?? state.data.first_broken_link.reason}.{' '}
          {state.data.checked.toLocaleString('en')} events before it verified.
        </Alert>
      ) : null}
      {state && !state.ok ? <Alert>{state.message}</Alert> : null}
    </form>
  );
}
