import 'server-only';
import ipaddr from 'ipaddr.js';
import { env, loopbackHttpAllowed } from '@/lib/env';
import { addressAllowed, parseCidrs } from './address-guard';
import { AppError } from '@/lib/errors';
import { webhookUrlProblem } from './url-policy';

/** assertWebhookUrl refuses a URL the delivery policy would refuse (lib/webhooks/url-policy.ts). */
export function assertWebhookUrl(url: string): void {
  const problem = webhookUrlProblem(url, loopbackHttpAllowed()) ?? addressProblem(url);
  if (problem) throw new AppError('validation_failed', problem, { fields: { url: [problem] } });
}

/**
 * addressProblem refuses, when the webhook is saved, a URL whose host is an IP address no
 * delivery may reach (lib/webhooks/address-guard.ts); a host name is checked at each delivery,
 * on the address it resolves to then.
 */
function addressProblem(raw: string): string | null {
  const host = new URL(raw).hostname.replace(/^\[|\]$/g, '');
  if (!ipaddr.isValid(host)) return null;
  if (addressAllowed(host, loopbackHttpAllowed(), parseCidrs(env().WEBHOOK_ALLOWED_PRIVATE_CIDRS))) return null;
  return 'This address is internal: webhooks reach public addresses only (an operator may open internal networks with WEBHOOK_ALLOWED_PRIVATE_CIDRS).';
}
