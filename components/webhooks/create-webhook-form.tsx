'use client';

import { useState } from 'react';
import { SecretRevealDialog } from '@/components/credentials/secret-reveal-dialog';
import { useFormAction } from '@/components/forms/use-form-action';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import type { ActionResult } from '@/lib/actions/define-action';
import { EVENT_LABEL, SUBSCRIBABLE_EVENT_TYPES } from '@/lib/events/catalog';

type Created = { id: string; url: string; secret: string };

const VERIFY_EXAMPLE = `import { Webhook } from 'standardwebhooks';
const event = new Webhook(process.env.LATCHKEY_WEBHOOK_SECRET).verify(rawBody, {
  'webhook-id': req.headers['webhook-id'],
  'webhook-timestamp': req.headers['webhook-timestamp'],
  'webhook-signature': req.headers['webhook-signature'],
});`;

/**
 * CreateWebhookForm adds a webhook; the signing secret it answers with is shown once in the
 * reveal dialog and lives only in this component's state until the dialog closes.
 */
export function CreateWebhookForm({
  orgSlug,
  action,
}: {
  orgSlug: string;
  action: (p: ActionResult<Created> | null, f: FormData) => Promise<ActionResult<Created>>;
}) {
  const [revealed, setRevealed] = useState<Created | null>(null);
  const { state, onSubmit, pending, fieldErrors, formRef } = useFormAction<Created>(
    async (previous, formData) => {
      const result = await action(previous, formData);
      if (result.ok) setRevealed(result.data);
      return result;
    },
    { resetOnSuccess: true },
  );
  return (
    <>
      <form ref={formRef} onSubmit={onSubmit} className="space-y-4" noValidate aria-label="Add webhook">
        <input type="hidden" name="orgSlug" value={orgSlug} />
        {state && !state.ok ? <Alert>{state.message}</Alert> : null}
        <Field
          name="url"
          label="Endpoint URL"
          type="url"
          required
          placeholder="https://hooks.example.com/latchkey"
          errors={fieldErrors.url}
          hint="https:// only (plain http:// to a loopback address in development)."
        />
        <Field name="description" label="Description" errors={fieldErrors.description} />
        <fieldset aria-describedby="event-types-error">
          <legend className="text-sm font-medium text-gray-900">Events</legend>
          <div className="mt-2 grid grid-cols-1 gap-1.5 sm:grid-cols-2">
            {SUBSCRIBABLE_EVENT_TYPES.map((type) => (
              <label key={type} className="flex items-start gap-2 text-sm">
                <input type="checkbox" name="eventTypes" value={type} defaultChecked className="mt-0.5" />
                <span>
                  {EVENT_LABEL[type]} <code className="text-xs text-gray-500">{type}</code>
                </span>
              </label>
            ))}
          </div>
          <p id="event-types-error" aria-live="polite" className="mt-1 text-xs text-red-600">
            {fieldErrors.eventTypes?.join(' ')}
          </p>
        </fieldset>
        <Button type="submit" disabled={pending}>
          {pending ? 'Adding…' : 'Add webhook'}
        </Button>
      </form>
      {revealed ? (
        <SecretRevealDialog
          title="Webhook signing secret"
          description={`Deliveries to ${revealed.url} are signed with this secret (Standard Webhooks).`}
          items={[
            { label: 'Webhook id', value: revealed.id },
            { label: 'Signing secret', value: revealed.secret },
          ]}
          downloads={[]}
          usage={VERIFY_EXAMPLE}
          onClose={() => setRevealed(null)}
        />
      ) : null}
    </>
  );
}
