import { describe, expect, it } from 'vitest';
import { PEER_IP_HEADER, clientIp } from './client-ip';

const headers = (h: Record<string, string>) => new Headers(h);

describe('clientIp', () => {
  it('uses the socket peer and ignores a spoofed X-Forwarded-For', () => {
    expect(clientIp(headers({ [PEER_IP_HEADER]: '203.0.113.9', 'x-forwarded-for': '10.0.0.1' }))).toBe('203.0.113.9');
  });

  it('walks X-Forwarded-For past trusted proxies only', () => {
    const trusted = (ip: string) => ip === '127.0.0.1' || ip === '10.0.0.2';
    const h = headers({ [PEER_IP_HEADER]: '127.0.0.1', 'x-forwarded-for': '1.2.3.4, 198.51.100.7, 10.0.0.2' });
    expect(clientIp(h, trusted)).toBe('198.51.100.7');
  });

  it('unwraps IPv4-mapped IPv6 addresses', () => {
    expect(clientIp(headers({ [PEER_IP_HEADER]: '::ffff:127.0.0.1' }))).toBe('127.0.0.1');
  });

  it("returns null when the request did not come through Latchkey's server", () => {
    expect(clientIp(headers({ 'x-forwarded-for': '1.2.3.4' }))).toBeNull();
  });
});
