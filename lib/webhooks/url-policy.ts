import ipaddr from 'ipaddr.js';

/**
 * webhookUrlProblem tells why a webhook URL is refused, or null when it is acceptable: an
 * absolute https:// URL without credentials in it; plain http:// only to a loopback host
 * (localhost, 127.0.0.0/8, ::1) and only where `allowLoopbackHttp` (development and tests):
 * a lifecycle event must not cross a network in clear text, where it could be read or forged.
 */
export function webhookUrlProblem(raw: string, allowLoopbackHttp: boolean): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'Enter an absolute URL, such as https://hooks.example.com/latchkey.';
  }
  if (url.username || url.password) return 'Leave credentials out of the URL: deliveries are signed instead.';
  if (url.hash) return 'A webhook URL has no #fragment.';
  if (url.protocol === 'https:') return null;
  if (url.protocol !== 'http:') return 'Use an https:// URL.';
  if (!allowLoopbackHttp || !isLoopbackHost(url.hostname))
    return 'Use an https:// URL (plain http:// is accepted only for a loopback address in development).';
  return null;
}

/** isLoopbackHost tells whether a URL's hostname names this machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (!ipaddr.isValid(host)) return false;
  const address = ipaddr.process(host);
  return address.range() === 'loopback';
}
