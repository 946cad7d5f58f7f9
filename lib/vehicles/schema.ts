import { z } from 'zod';
import { OEM_BRANDS, brandSchema } from '@/lib/oem/brands';
import { VIN_PATTERN, checkVin, normalizeVin } from './vin';

/** A VIN as typed by a person: normalized (upper case, no spaces or dashes), then checked. */
export const vinSchema = z
  .string({ error: 'Enter a VIN.' })
  .transform(normalizeVin)
  .superRefine((vin, refinement) => {
    const result = checkVin(vin);
    if (!result.ok) refinement.addIssue({ code: 'custom', message: result.reason });
  })
  .meta({
    description: '17-character VIN (ISO 3779); the check digit is verified where the region uses one.',
    example: 'WDD2050461F123456',
  });

const credentialId = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .pipe(
    z
      .string()
      .regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, { error: 'Not a credential id.' })
      .optional(),
  );

/** POST /api/v1/vehicles body and the console form. */
export const addVehicleInput = z
  .strictObject({
    vin: vinSchema,
    brand: brandSchema,
    oem_credential_id: credentialId.optional().meta({
      description:
        'Required for MERCEDES_BENZ, NIU and SEGWAY; must be a credential of the same brand. Omit for CLOUDBOXX.',
    }),
  })
  .meta({ id: 'AddVehicleInput' });
export type AddVehicleInput = z.output<typeof addVehicleInput>;

export const vehicleRef = z.object({
  id: z.string().regex(/^veh_[0-9A-HJKMNP-TV-Z]{26}$/, { error: 'Not a vehicle id.' }),
});

/** A vehicle named in a URL: its id (veh_…) or its VIN. */
export const vehicleKey = z
  .string()
  .trim()
  .transform((value, refinement) => {
    if (/^veh_[0-9A-HJKMNP-TV-Z]{26}$/.test(value)) return { id: value };
    const vin = normalizeVin(value);
    if (VIN_PATTERN.test(vin)) return { vin };
    refinement.addIssue({ code: 'custom', message: 'Name the vehicle by its id (veh_…) or its VIN.' });
    return z.NEVER;
  })
  .meta({ description: 'Vehicle id (veh_…) or VIN.' });
export type VehicleKey = z.output<typeof vehicleKey>;

/** GET /api/v1/vehicles/lookup?vin=… : the VIN is checked by the lookup itself, so any string goes. */
export const vinLookupQuery = z.strictObject({ vin: z.string().max(64, { error: 'Too long for a VIN.' }) });

export const vehicleDto = z
  .object({
    id: z.string().meta({ example: 'veh_01JCX9Q3M5ZB8W2D6N4R7T1V0Y' }),
    vin: z.string(),
    brand: z.enum(OEM_BRANDS),
    oem_credential: z.object({ id: z.string(), name: z.string() }).nullable(),
    created_at: z.string(),
  })
  .meta({ id: 'Vehicle' });
export type VehicleDto = z.output<typeof vehicleDto>;

export const vinLookupDto = z
  .object({
    vin: z.string(),
    valid: z.boolean(),
    problem: z.string().nullable().meta({ description: 'Why the VIN is invalid, when it is.' }),
    check_digit: z.enum(['valid', 'not_used']).nullable(),
    region: z.string().nullable(),
    wmi: z.string().nullable(),
    manufacturer: z.string().nullable(),
    brand: z.enum(OEM_BRANDS).nullable().meta({ description: 'Known from the WMI, or null: then the user chooses.' }),
    registered: z.boolean().meta({ description: 'Whether this organization already has the vehicle.' }),
    options: z
      .array(
        z.object({
          brand: z.enum(OEM_BRANDS),
          needs_credential: z.boolean(),
          credentials: z.array(z.object({ id: z.string(), name: z.string() })),
          can_connect: z.boolean(),
          needs: z.string().meta({ description: 'What connecting needs, in words.' }),
        }),
      )
      .meta({ description: 'The recognised brand only, or every brand when the WMI is unknown.' }),
  })
  .meta({ id: 'VinLookup' });
export type VinLookupDto = z.output<typeof vinLookupDto>;
