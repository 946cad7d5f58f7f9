/**
 * The CSRF rule for everything a console session can change (server actions; /api/v1 session
 * calls check Origin the same way): the browser must say the request comes from our own page.
 * Kept free of Next.js and of lib/env so scripts/server.ts can apply it before Next runs.
 */

/** appOrigin is the origin ("scheme://host[:port]") of NEXTAUTH_URL, the one the console is served from. */
export function appOrigin(nextAuthUrl: string | undefined): string {
  return new URL(nextAuthUrl || 'http://localhost:3000').origin;
}

/**
 * isSameOriginRequest tells whether a state-changing request was sent by a page of `origin`:
 * its `Origin` header equals it exactly (`null`, another scheme, host or port is refused), or,
 * only when the browser sent no Origin at all, `Sec-Fetch-Site` is `same-origin`. A request
 * with neither is refused: a plain cross-site form post, or a client that is not a browser,
 * must not ride a member's session cookie.
 */
export function isSameOriginRequest(header: (name: string) => string | null | undefined, origin: string): boolean {
  const sent = header('origin');
  if (sent !== null && sent !== undefined) return sent === origin;
  return header('sec-fetch-site') === 'same-origin';
}
