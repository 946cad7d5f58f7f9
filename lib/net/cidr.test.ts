import { describe, expect, it } from 'vitest';
import { checkCidrEntry, ipMatches, isValidCidr } from './cidr';

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

describe('checkCidrEntry', () => {
  it('accepts plain blocks and addresses as they are', () => {
    for (const ok of ['10.0.0.0/8', '192.0.2.7', '192.0.2.7/32', '0.0.0.0/0', '2001:db8::/32', '::1', '::/0'])
      expect(checkCidrEntry(ok)).toEqual({ ok: true, canonical: ok });
  });

  it('refuses host bits set, naming the block and the single address', () => {
    expect(checkCidrEntry('10.0.0.1/8')).toEqual({
      ok: false,
      message: '"10.0.0.1/8" has host bits set: use 10.0.0.0/8 for the block, or 10.0.0.1/32 for the one address.',
    });
    expect(checkCidrEntry('2001:db8::1/32')).toMatchObject({
      ok: false,
      message: expect.stringContaining('use 2001:db8::/32'),
    });
    expect(checkCidrEntry('192.168.1.130/25')).toMatchObject({ message: expect.stringContaining('192.168.1.128/25') });
  });

  it('refuses legacy IPv4 forms with the four-part form to write instead', () => {
    expect(checkCidrEntry('1.2.3')).toEqual({
      ok: false,
      message: '"1.2.3" is a legacy IPv4 form: write all four parts, as 1.2.0.3.',
    });
    expect(checkCidrEntry('10/8')).toMatchObject({ message: expect.stringContaining('as 0.0.0.10/8') });
    expect(checkCidrEntry('0x0a.0.0.1')).toMatchObject({ message: expect.stringContaining('as 10.0.0.1') });
    expect(checkCidrEntry('010.0.0.1')).toMatchObject({ ok: false, message: expect.stringContaining('leading zero') });
  });

  it('refuses bad prefix lengths, zone ids and non-addresses', () => {
    for (const bad of [
      '10.0.0.0/33',
      '10.0.0.0/08',
      '10.0.0.0/+8',
      '10.0.0.0/',
      '::/129',
      'fe80::1%eth0',
      'x',
      '1/2/3',
    ])
      expect(checkCidrEntry(bad).ok).toBe(false);
  });

  it('writes notation-only differences canonically', () => {
    expect(checkCidrEntry(' 2001:DB8:0:0::/32 ')).toEqual({ ok: true, canonical: '2001:db8::/32' });
    expect(checkCidrEntry('::ffff:10.0.0.0/104')).toEqual({ ok: true, canonical: '10.0.0.0/8' });
    expect(checkCidrEntry('::ffff:10.1.2.3')).toEqual({ ok: true, canonical: '10.1.2.3' });
    expect(checkCidrEntry('::ffff:10.0.0.1/104').ok).toBe(false);
  });
});
