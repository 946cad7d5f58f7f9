import type { OemBrand } from '@/lib/oem/brands';

/**
 * VIN rules (ISO 3779, and FMVSS 565 / 49 CFR 565 for the check digit):
 * - 17 characters from 0-9 and A-Z without I, O and Q (they look like 1 and 0);
 * - position 9 is a check digit (0-9 or X) where the region mandates one. We enforce it for
 *   North America (WMI starting 1-5, where it is law) and China (WMI starting L: GB 16735
 *   mandates it too). European and other VINs often carry a plant or model code there instead,
 *   so for them the check digit is reported as "not used" and not enforced.
 */
export const VIN_PATTERN = /^[A-HJ-NPR-Z0-9]{17}$/;

const TRANSLITERATION: Record<string, number> = {
  A: 1,
  B: 2,
  C: 3,
  D: 4,
  E: 5,
  F: 6,
  G: 7,
  H: 8,
  J: 1,
  K: 2,
  L: 3,
  M: 4,
  N: 5,
  P: 7,
  R: 9,
  S: 2,
  T: 3,
  U: 4,
  V: 5,
  W: 6,
  X: 7,
  Y: 8,
  Z: 9,
};
const WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

export type VinRegion = 'Africa' | 'Asia' | 'Europe' | 'North America' | 'Oceania' | 'South America' | 'Unassigned';

/** vinRegion names the region of the world manufacturer identifier (first character). */
export function vinRegion(vin: string): VinRegion {
  const c = vin.charAt(0);
  if (c >= '1' && c <= '5') return 'North America';
  if (c === '6' || c === '7') return 'Oceania';
  if (c === '8' || c === '9') return 'South America';
  if (c >= 'A' && c <= 'H') return 'Africa';
  if (c >= 'J' && c <= 'R') return 'Asia';
  if (c >= 'S' && c <= 'Z') return 'Europe';
  return 'Unassigned';
}

/** checkDigitRequired tells whether the VIN's region mandates the position-9 check digit. */
export function checkDigitRequired(vin: string): boolean {
  return vinRegion(vin) === 'North America' || vin.charAt(0) === 'L';
}

/** computeCheckDigit returns the check digit ('0'-'9' or 'X') a 17-character VIN should carry. */
export function computeCheckDigit(vin: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const ch = vin.charAt(i);
    const value = ch >= '0' && ch <= '9' ? Number(ch) : (TRANSLITERATION[ch] ?? 0);
    sum += value * (WEIGHTS[i] ?? 0);
  }
  const remainder = sum % 11;
  return remainder === 10 ? 'X' : String(remainder);
}

export type VinCheck =
  { ok: true; vin: string; checkDigit: 'valid' | 'not_used' } | { ok: false; vin: string; reason: string };

/** normalizeVin trims and upper-cases user input; validation happens on the result. */
export function normalizeVin(input: string): string {
  return input.trim().replace(/[\s-]/g, '').toUpperCase();
}

/** checkVin validates a (normalized) VIN and explains the first problem in plain words. */
export function checkVin(input: string): VinCheck {
  const vin = normalizeVin(input);
  if (vin.length !== 17) return { ok: false, vin, reason: `A VIN has 17 characters; this one has ${vin.length}.` };
  if (/[IOQ]/.test(vin)) return { ok: false, vin, reason: 'A VIN never contains the letters I, O or Q.' };
  if (!VIN_PATTERN.test(vin))
    return { ok: false, vin, reason: 'A VIN has only digits and the letters A-Z (without I, O and Q).' };
  if (checkDigitRequired(vin)) {
    const expected = computeCheckDigit(vin);
    if (vin.charAt(8) !== expected) {
      return {
        ok: false,
        vin,
        reason: `The check digit (9th character) should be ${expected} for this VIN: it is mistyped.`,
      };
    }
    return { ok: true, vin, checkDigit: 'valid' };
  }
  return { ok: true, vin, checkDigit: 'not_used' };
}

/**
 * World manufacturer identifiers we recognise. Mercedes-Benz: WDB/WDD (cars), WDC (SUVs),
 * WDF (vans), W1K/W1N/W1V/W1W (the 2019+ series), 4JG and 55S (US-built). We know no published
 * WMIs for NIU or Segway scooters, so their VINs come back "unknown" and the user chooses.
 */
const WMI_BRANDS: Record<string, { brand: OemBrand; manufacturer: string }> = {
  WDB: { brand: 'MERCEDES_BENZ', manufacturer: 'Mercedes-Benz (Germany)' },
  WDD: { brand: 'MERCEDES_BENZ', manufacturer: 'Mercedes-Benz (Germany)' },
  WDC: { brand: 'MERCEDES_BENZ', manufacturer: 'Mercedes-Benz SUVs' },
  WDF: { brand: 'MERCEDES_BENZ', manufacturer: 'Mercedes-Benz vans' },
  W1K: { brand: 'MERCEDES_BENZ', manufacturer: 'Mercedes-Benz (Germany)' },
  W1N: { brand: 'MERCEDES_BENZ', manufacturer: 'Mercedes-Benz SUVs' },
  W1V: { brand: 'MERCEDES_BENZ', manufacturer: 'Mercedes-Benz vans' },
  W1W: { brand: 'MERCEDES_BENZ', manufacturer: 'Mercedes-Benz vans' },
  '4JG': { brand: 'MERCEDES_BENZ', manufacturer: 'Mercedes-Benz (USA)' },
  '55S': { brand: 'MERCEDES_BENZ', manufacturer: 'Mercedes-Benz (USA)' },
};

/** brandFromWmi returns the brand the VIN's first three characters identify, if we know it. */
export function brandFromWmi(vin: string): { wmi: string; brand: OemBrand; manufacturer: string } | null {
  const wmi = vin.slice(0, 3);
  const hit = WMI_BRANDS[wmi];
  return hit ? { wmi, ...hit } : null;
}
