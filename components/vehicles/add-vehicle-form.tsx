'use client';

import { useEffect, useRef, useState, useTransition } from 'react';
import { useFormAction } from '@/components/forms/use-form-action';
import { LabelledSelect } from '@/components/oem/labelled-select';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import type { ActionResult } from '@/lib/actions/define-action';
import { BRAND_LABELS, OEM_BRANDS, type OemBrand } from '@/lib/oem/brands';
import type { VinLookupDto } from '@/lib/vehicles/schema';

type Action<T> = (p: ActionResult<T> | null, f: FormData) => Promise<ActionResult<T>>;
type Credential = { id: string; name: string; brand: OemBrand };

/**
 * AddVehicleForm adds a vehicle by VIN. "Look up" asks the server what the VIN is (valid? which
 * brand? what does connecting need?) and preselects the brand and a credential.
 */
export function AddVehicleForm({
  orgSlug,
  credentials,
  addAction,
  lookupAction,
}: {
  orgSlug: string;
  credentials: Credential[];
  addAction: Action<{ vin: string }>;
  lookupAction: Action<VinLookupDto>;
}) {
  const { state, onSubmit, pending, fieldErrors } = useFormAction(addAction);
  const [brand, setBrand] = useState<OemBrand>('MERCEDES_BENZ');
  const [credentialId, setCredentialId] = useState('');
  const [lookup, setLookup] = useState<ActionResult<VinLookupDto> | null>(null);
  const [looking, startLookup] = useTransition();
  const form = useRef<HTMLFormElement>(null);

  const usable = credentials.filter((c) => c.brand === brand);
  const needsCredential = brand !== 'CLOUDBOXX';
  useEffect(() => {
    if (!needsCredential) setCredentialId('');
    else if (!usable.some((c) => c.id === credentialId)) setCredentialId(usable[0]?.id ?? '');
  }, [brand, needsCredential, usable, credentialId]);
  useEffect(() => {
    if (state?.ok) {
      form.current?.reset();
      setLookup(null);
    }
  }, [state]);

  function runLookup() {
    const data = new FormData();
    data.set('orgSlug', orgSlug);
    data.set('vin', String((form.current ? new FormData(form.current).get('vin') : '') ?? ''));
    startLookup(async () => {
      const result = await lookupAction(null, data);
      setLookup(result);
      if (result.ok && result.data.brand) setBrand(result.data.brand);
    });
  }

  const found = lookup?.ok ? lookup.data : null;
  return (
    <form ref={form} onSubmit={onSubmit} className="space-y-4" noValidate aria-label="Add vehicle">
      <input type="hidden" name="orgSlug" value={orgSlug} />
      {state?.ok ? <Alert tone="success">Vehicle {state.data.vin} added.</Alert> : null}
      {state && !state.ok ? <Alert>{state.message}</Alert> : null}
      <div className="flex items-end gap-2">
        <Field
          name="vin"
          label="VIN"
          required
          autoComplete="off"
          className="flex-1"
          errors={fieldErrors.vin}
          hint="17 characters; no I, O or Q."
        />
        <Button type="button" variant="secondary" onClick={runLookup} disabled={looking} className="mb-5">
          {looking ? 'Looking up…' : 'Look up'}
        </Button>
      </div>
      {lookup && !lookup.ok ? <Alert>{lookup.message}</Alert> : null}
      {found ? (
        <div role="status" aria-label="VIN lookup" className="rounded-md bg-gray-50 p-3 text-sm ring-1 ring-gray-200">
          {!found.valid ? (
            <p className="text-red-700">Invalid VIN: {found.problem}</p>
          ) : (
            <>
              <p>
                <span className="font-mono">{found.vin}</span> · {found.region} ·{' '}
                {found.check_digit === 'valid' ? 'check digit correct' : 'no check digit in this region'}
                {found.registered ? ' · already registered' : ''}
              </p>
              <p className="mt-1">
                {found.brand
                  ? `Brand: ${BRAND_LABELS[found.brand]} (${found.manufacturer ?? found.wmi}).`
                  : `Brand unknown for WMI ${found.wmi}: choose it below.`}
              </p>
              <ul className="mt-1 list-inside list-disc text-xs text-gray-700">
                {found.options.map((o) => (
                  <li key={o.brand}>
                    {BRAND_LABELS[o.brand]}: {o.can_connect ? 'can connect' : 'cannot connect yet'}. {o.needs}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      ) : null}
      <LabelledSelect
        name="brand"
        label="Brand"
        value={brand}
        onChange={(v) => setBrand(v as OemBrand)}
        options={OEM_BRANDS.map((b) => ({ value: b, label: BRAND_LABELS[b] }))}
        errors={fieldErrors.brand}
      />
      {needsCredential ? (
        <LabelledSelect
          name="oem_credential_id"
          label="OEM credential"
          value={credentialId}
          onChange={setCredentialId}
          options={
            usable.length
              ? usable.map((c) => ({ value: c.id, label: c.name }))
              : [{ value: '', label: `No ${BRAND_LABELS[brand]} credential yet` }]
          }
          errors={fieldErrors.oem_credential_id}
        />
      ) : (
        <p className="text-xs text-gray-600">CloudBoxx vehicles connect without an OEM credential.</p>
      )}
      <Button type="submit" disabled={pending}>
        {pending ? 'Adding…' : 'Add vehicle'}
      </Button>
    </form>
  );
}
