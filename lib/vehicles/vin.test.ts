import { describe, expect, it } from 'vitest';
import { brandFromWmi, checkVin, computeCheckDigit, vinRegion } from './vin';

describe('VIN validation', () => {
  it('accepts a North American VIN with the right check digit', () => {
    // 1M8GDM9AXKP042788 is the worked example of 49 CFR 565 (check digit X).
    expect(computeCheckDigit('1M8GDM9AXKP042788')).toBe('X');
    expect(checkVin('1m8gdm9axkp042788')).toEqual({ ok: true, vin: '1M8GDM9AXKP042788', checkDigit: 'valid' });
    expect(checkVin('4JGDA5HB7JB158144')).toMatchObject({ ok: true, checkDigit: 'valid' });
  });

  it('refuses a North American VIN whose check digit is wrong', () => {
    const result = checkVin('1M8GDM9A1KP042788');
    expect(result).toMatchObject({ ok: false });
    expect(!result.ok && result.reason).toMatch(/check digit .* should be X/);
  });

  it('does not enforce the check digit on European VINs', () => {
    expect(checkVin('WDD2050461F123456')).toEqual({ ok: true, vin: 'WDD2050461F123456', checkDigit: 'not_used' });
  });

  it('enforces the check digit on Chinese VINs (GB 16735)', () => {
    const base = 'LSGPC52U06F102030';
    const digit = computeCheckDigit(base);
    const good = base.slice(0, 8) + digit + base.slice(9);
    expect(checkVin(good)).toMatchObject({ ok: true, checkDigit: 'valid' });
    const bad = base.slice(0, 8) + (digit === '1' ? '2' : '1') + base.slice(9);
    expect(checkVin(bad)).toMatchObject({ ok: false });
  });

  it.each([
    ['WDD2050461F12345', /17 characters; this one has 16/],
    ['WDD2050461F1234567', /17 characters; this one has 18/],
    ['WDD2O50461F123456', /I, O or Q/],
    ['WDDI050461F123456', /I, O or Q/],
    ['WDD2050461F12345Q', /I, O or Q/],
    ['WDD2050461F12345*', /only digits and the letters/],
  ])('refuses %s', (vin, reason) => {
    const result = checkVin(vin);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
  });

  it('ignores spaces and dashes and upper-cases', () => {
    expect(checkVin(' wdd 2050461-f123456 ')).toMatchObject({ ok: true, vin: 'WDD2050461F123456' });
  });

  it('names the region and recognises Mercedes-Benz WMIs', () => {
    expect(vinRegion('WDD2050461F123456')).toBe('Europe');
    expect(vinRegion('1M8GDM9AXKP042788')).toBe('North America');
    expect(vinRegion('LSGPC52U06F102030')).toBe('Asia');
    expect(brandFromWmi('W1K2050461F123456')).toMatchObject({ brand: 'MERCEDES_BENZ', wmi: 'W1K' });
    expect(brandFromWmi('1M8GDM9AXKP042788')).toBeNull();
  });
});
