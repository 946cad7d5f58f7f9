'use client';

import { useFormAction } from '@/components/forms/use-form-action';
import { Button } from '@/components/ui/button';
import type { ActionResult } from '@/lib/actions/define-action';

/** EmailPreferenceForm turns the signed-in member's lifecycle e-mail on or off for this organization. */
export function EmailPreferenceForm({
  orgSlug,
  receives,
  action,
}: {
  orgSlug: string;
  receives: boolean;
  action: (p: ActionResult<void> | null, f: FormData) => Promise<ActionResult<void>>;
}) {
  const { state, onSubmit, pending } = useFormAction(action);
  return (
    <form onSubmit={onSubmit} className="flex flex-wrap items-center gap-3" aria-label="My lifecycle e-mail">
      <input type="hidden" name="orgSlug" value={orgSlug} />
      <input type="hidden" name="receive" value={receives ? 'false' : 'true'} />
      <p role="status" className="text-sm text-gray-700">
        {receives ? 'You receive these e-mails.' : 'You do not receive these e-mails.'}
      </p>
      <Button type="submit" variant="secondary" disabled={pending} className="px-2.5 py-1 text-xs">
        {receives ? 'Stop my e-mails' : 'Send me e-mails'}
      </Button>
      {state && !state.ok ? (
        <span role="alert" className="text-xs text-red-700">
          {state.message}
        </span>
      ) : null}
    </form>
  );
}
