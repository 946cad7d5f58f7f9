'use client';

import { useState } from 'react';
import { useFormAction } from '@/components/forms/use-form-action';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import type { ActionResult } from '@/lib/actions/define-action';

type Created = { id: string };

/** CreateAuditSinkForm adds an OTLP/HTTP or syslog TCP sink; the header value is sent once and never shown. */
export function CreateAuditSinkForm({
  orgSlug,
  action,
}: {
  orgSlug: string;
  action: (p: ActionResult<Created> | null, f: FormData) => Promise<ActionResult<Created>>;
}) {
  const [kind, setKind] = useState<'OTLP_HTTP' | 'SYSLOG_TCP'>('OTLP_HTTP');
  const { state, onSubmit, pending, fieldErrors, formRef } = useFormAction<Created>(action, { resetOnSuccess: true });
  return (
    <form ref={formRef} onSubmit={onSubmit} className="space-y-4" noValidate aria-label="Add audit sink">
      <input type="hidden" name="orgSlug" value={orgSlug} />
      {state && !state.ok ? <Alert>{state.message}</Alert> : null}
      {state?.ok ? <p className="text-sm text-green-700">Sink added: it streams from the start of the chain.</p> : null}
      <div className="space-y-1">
        <label htmlFor="field-kind" className="block text-sm font-medium text-gray-900">
          Kind
        </label>
        <select
          id="field-kind"
          name="kind"
          value={kind}
          onChange={(e) => setKind(e.target.value as 'OTLP_HTTP' | 'SYSLOG_TCP')}
          className="block w-full rounded-md border border-gray-300 px-3 py-2 text-sm"
        >
          <option value="OTLP_HTTP">OpenTelemetry logs (OTLP/HTTP JSON)</option>
          <option value="SYSLOG_TCP">Syslog RFC 5424 over TCP</option>
        </select>
      </div>
      <Field name="name" label="Name" errors={fieldErrors.name} />
      {kind === 'OTLP_HTTP' ? (
        <>
          <Field
            name="url"
            label="Endpoint URL"
            type="url"
            required
            placeholder="https://otel.example.com/v1/logs"
            errors={fieldErrors.url}
          />
          <Field
            name="header_name"
            label="Header name (optional)"
            placeholder="authorization"
            errors={fieldErrors.headers}
          />
          <Field
            name="header_value"
            label="Header value"
            type="password"
            autoComplete="off"
            hint="Stored encrypted; never shown again."
          />
        </>
      ) : (
        <>
          <Field name="host" label="Host" required placeholder="siem.example.com" errors={fieldErrors.host} />
          <Field name="port" label="Port" type="number" required placeholder="6514" errors={fieldErrors.port} />
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" name="tls" /> TLS
          </label>
        </>
      )}
      <Field
        name="checkpoint_every_events"
        label="Checkpoint every N events"
        type="number"
        placeholder="1000"
        errors={fieldErrors.checkpoint_every_events}
      />
      <Field
        name="checkpoint_every_seconds"
        label="Checkpoint at least every T seconds"
        type="number"
        placeholder="300"
        errors={fieldErrors.checkpoint_every_seconds}
      />
      <Button type="submit" disabled={pending}>
        {pending ? 'Adding…' : 'Add sink'}
      </Button>
    </form>
  );
}
