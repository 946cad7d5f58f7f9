import { env } from '@/lib/env';

/** issuerUrl is the token service's public base URL: the `iss` of every access token. */
export function issuerUrl(): string {
  const e = env();
  return (e.LATCHKEY_ISSUER ?? e.NEXTAUTH_URL).replace(/\/+$/, '');
}

/** tokenUrl is the token endpoint: the exact `aud` that JWT assertions must carry. */
export function tokenUrl(): string {
  return `${issuerUrl()}/api/oauth/token`;
}
