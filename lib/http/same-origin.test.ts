import { describe, expect, it } from 'vitest';
import { appOrigin, isSameOriginRequest } from './same-origin';

const ours = 'https://latchkey.example';
const decide = (headers: Record<string, string>) => isSameOriginRequest((name) => new Headers(headers).get(name), ours);

describe('isSameOriginRequest', () => {
  it('accepts our exact origin, or no Origin with Sec-Fetch-Site: same-origin', () => {
    expect(decide({ origin: ours })).toBe(true);
    expect(decide({ 'sec-fetch-site': 'same-origin' })).toBe(true);
    expect(decide({ origin: ours, 'sec-fetch-site': 'same-origin' })).toBe(true);
  });

  it('refuses a foreign, opaque or look-alike origin, whatever Sec-Fetch-Site claims', () => {
    for (const origin of [
      'https://evil.example',
      'null',
      '',
      'http://latchkey.example',
      'https://latchkey.example:8443',
      'https://latchkey.example.evil.example',
      `${ours}/`,
    ])
      expect(decide({ origin, 'sec-fetch-site': 'same-origin' }), origin).toBe(false);
  });

  it('refuses a request with no Origin unless the browser says same-origin', () => {
    expect(decide({})).toBe(false);
    for (const site of ['cross-site', 'same-site', 'none', 'SAME-ORIGIN'])
      expect(decide({ 'sec-fetch-site': site }), site).toBe(false);
  });
});

describe('appOrigin', () => {
  it('is the origin of NEXTAUTH_URL, with the default when unset', () => {
    expect(appOrigin('https://latchkey.example/console/')).toBe(ours);
    expect(appOrigin('http://localhost:3116')).toBe('http://localhost:3116');
    expect(appOrigin(undefined)).toBe('http://localhost:3000');
  });
});
