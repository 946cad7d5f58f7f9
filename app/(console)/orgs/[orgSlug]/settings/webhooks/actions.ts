'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { defineAction } from '@/lib/actions/define-action';
import { setLifecycleEmailOptOut } from '@/lib/events/email-preference';
import { paths } from '@/lib/paths';
import { createWebhook } from '@/lib/webhooks/create-webhook';
import { deleteWebhook } from '@/lib/webhooks/delete-webhook';
import { redeliverWebhook } from '@/lib/webhooks/redeliver';
import {
  createWebhookForm,
  deliveryRef,
  emailPreferenceForm,
  webhookRef,
  webhookStatusForm,
} from '@/lib/webhooks/schema';
import { sendTestEvent } from '@/lib/webhooks/send-test-event';
import { updateWebhook } from '@/lib/webhooks/update-webhook';

// Create a webhook; its signing secret comes back this once, for the reveal dialog.
export const createWebhookAction = defineAction(
  { input: createWebhookForm, permission: 'webhooks.write' },
  async (ctx, input) => {
    const created = await createWebhook(ctx, input);
    revalidatePath(paths.webhooks(ctx.orgSlug));
    return { id: created.webhook.id, url: created.webhook.url, secret: created.secret };
  },
);

// Enable or disable a webhook.
export const setWebhookStatusAction = defineAction(
  { input: webhookStatusForm, permission: 'webhooks.write' },
  async (ctx, { id, status }) => {
    await updateWebhook(ctx, id, { status });
    revalidatePath(paths.webhook(ctx.orgSlug, id));
  },
);

// Send a webhook a signed test event.
export const sendTestEventAction = defineAction(
  { input: webhookRef, permission: 'webhooks.write' },
  async (ctx, { id }) => {
    const sent = await sendTestEvent(ctx, id);
    revalidatePath(paths.webhook(ctx.orgSlug, id));
    return sent;
  },
);

// Send one delivery's event again.
export const redeliverAction = defineAction(
  { input: deliveryRef, permission: 'webhooks.write' },
  async (ctx, { webhookId, deliveryId }) => {
    await redeliverWebhook(ctx, webhookId, deliveryId);
    revalidatePath(paths.webhook(ctx.orgSlug, webhookId));
  },
);

// Delete a webhook and its delivery log.
export const deleteWebhookAction = defineAction(
  { input: webhookRef, permission: 'webhooks.write' },
  async (ctx, { id }): Promise<void> => {
    await deleteWebhook(ctx, id);
    revalidatePath(paths.webhooks(ctx.orgSlug));
    redirect(paths.webhooks(ctx.orgSlug));
  },
);

// The signed-in member's own lifecycle e-mail preference in this organization.
export const setEmailPreferenceAction = defineAction(
  { input: emailPreferenceForm, permission: 'webhooks.write' },
  async (ctx, { receive }) => {
    if (ctx.actor.type === 'MEMBER' && ctx.actor.id) await setLifecycleEmailOptOut(ctx.orgId, ctx.actor.id, !receive);
    revalidatePath(paths.webhooks(ctx.orgSlug));
  },
);
