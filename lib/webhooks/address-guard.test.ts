import { describe, expect, it } from 'vitest';
import { addressAllowed, parseCidrs } from './address-guard';

describe('webhook address guard (SSRF)', () => {
  it('allows public unicast addresses and refuses every internal range', () => {
    for (const ok of ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946', '8.8.8.8'])
      expect(addressAllowed(ok, false, [])).toBe(true);
    for (const bad of [
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254', // cloud metadata
      '100.64.0.1', // CGNAT
      '0.0.0.0',
      '127.0.0.1',
      '::1',
      'fd00::1',
      'fe80::1',
      '::ffff:10.0.0.1', // IPv4-mapped private
      '224.0.0.1',
      'not-an-ip',
    ])
      expect(addressAllowed(bad, false, []), bad).toBe(false);
  });

  it('opens loopback only where allowed, and an operator’s CIDRs', () => {
    expect(addressAllowed('127.0.0.1', true, [])).toBe(true);
    expect(addressAllowed('10.1.2.3', true, [])).toBe(false);
    const cidrs = parseCidrs('10.20.0.0/16, fd00::/8');
    expect(addressAllowed('10.20.3.4', false, cidrs)).toBe(true);
    expect(addressAllowed('10.21.3.4', false, cidrs)).toBe(false);
    expect(addressAllowed('fd12::1', false, cidrs)).toBe(true);
  });
});
