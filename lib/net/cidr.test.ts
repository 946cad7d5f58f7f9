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

  it('an entry in IPv4-mapped IPv6 form matches the IPv4 peer, and an IPv4 entry the mapped peer', () => {
    for (const entry of ['::ffff:10.1.2.3', '::ffff:10.0.0.0/104', '::ffff:a01:203/128', '::FFFF:10.1.2.0/120'])
      for (const peer of ['10.1.2.3', '::ffff:10.1.2.3', '::ffff:a01:203']) expect(ipMatches(peer, [entry])).toBe(true);
    for (const entry of ['10.1.2.3', '10.0.0.0/8'])
      for (const peer of ['::ffff:10.1.2.3', '::ffff:a01:203']) expect(ipMatches(peer, [entry])).toBe(true);
    expect(ipMatches('10.2.0.1', ['::ffff:10.1.0.0/112'])).toBe(false);
    expect(ipMatches('::ffff:11.0.0.1', ['::ffff:10.0.0.0/104'])).toBe(false);
    // A mapped block is still an IPv6 block to an IPv6 peer outside the mapped space.
    expect(ipMatches('2001:db8::1', ['::ffff:0.0.0.0/96'])).toBe(false);
    expect(isValidCidr('::ffff:10.0.0.0/104')).toBe(true);
  });
});
