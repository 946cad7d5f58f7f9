import { describe, expect, it } from 'vitest';
import { ipMatches, isValidCidr } from './cidr';

describe('cidr', () => {
  it('validates blocks and addresses', () => {
    for (const ok of ['10.0.0.0/8', '192.168.1.7', '2001:db8::/32', '::1']) expect(isValidCidr(ok)).toBe(true);
    for (const bad of ['10.0.0.0/33', '300.1.1.1', 'example.com', '', '10.0.0.0/'])
      expect(isValidCidr(bad)).toBe(false);
  });

  it('matches addresses against ranges, IPv4-mapped IPv6 included', () => {
    expect(ipMatches('10.1.2.3', ['10.0.0.0/8'])).toBe(true);
    expect(ipMatches('::ffff:10.1.2.3', ['10.0.0.0/8'])).toBe(true);
    expect(ipMatches('11.0.0.1', ['10.0.0.0/8', '192.168.0.0/16'])).toBe(false);
    expect(ipMatches('2001:db8::1', ['2001:db8::/32'])).toBe(true);
    expect(ipMatches('2001:db8::1', ['10.0.0.0/8'])).toBe(false);
    expect(ipMatches('not-an-ip', ['0.0.0.0/0'])).toBe(false);
  });
});
