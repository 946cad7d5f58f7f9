import 'server-only';
import type { OrgContext } from '@/lib/auth/context';
import { can } from '@/lib/auth/permissions';
import { loopbackHttpAllowed } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { webhookUrlProblem } from './url-policy';

/** assertCanWriteWebhooks refuses callers whose role may not change webhooks (forbidden). */
export function assertCanWriteWebhooks(ctx: OrgContext): void {
  if (!can(ctx.role, 'webhooks.write'))
    throw new AppError('forbidden', 'Your role does not allow changes to webhooks.');
}

/** assertWebhookUrl refuses a URL the delivery policy would refuse (lib/webhooks/url-policy.ts). */
export function assertWebhookUrl(url: string): void {
  const problem = webhookUrlProblem(url, loopbackHttpAllowed());
  if (problem) throw new AppError('validation_failed', problem, { fields: { url: [problem] } });
}
