import 'server-only';
import { randomBytes } from 'node:crypto';
import { open, seal } from '@/lib/crypto/secret-box';

/** The additional data that binds a sealed signing secret to its webhook. */
function secretContext(webhookId: string): string {
  return `webhook:${webhookId}`;
}

/**
 * newSigningSecret makes a Standard Webhooks signing secret: `whsec_` and 32 random bytes in
 * base64 (the form the `standardwebhooks` libraries of every language take), sealed for the
 * webhook's row under the current master key, as OEM secrets are (lib/oem).
 */
export function newSigningSecret(webhookId: string): {
  secret: string;
  sealed: Uint8Array<ArrayBuffer>;
  keyVersion: number;
} {
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  const { sealed, keyVersion } = seal(secret, secretContext(webhookId));
  return { secret, sealed: new Uint8Array(sealed), keyVersion };
}

/** openSigningSecret decrypts a webhook's signing secret, for signing a delivery only. */
export function openSigningSecret(webhookId: string, sealed: Uint8Array): string {
  return open(sealed, secretContext(webhookId)).toString('utf8');
}
