import 'server-only';
import nodemailer, { type Transporter } from 'nodemailer';
import { db } from '@/lib/db/client';
import { env } from '@/lib/env';
import { moduleState } from '@/lib/process-state';
import type { EventEnvelope } from './catalog';
import { renderEmail } from './render-email';

function transport(): Transporter | null {
  const url = env().SMTP_URL;
  if (!url) return null;
  // One pooled SMTP connection set per process and URL (tests change the URL between files).
  const cache = moduleState('__latchkeyMailer', () => new Map<string, Transporter>());
  let transporter = cache.get(url);
  if (!transporter) {
    transporter = nodemailer.createTransport(url);
    cache.set(url, transporter);
  }
  return transporter;
}

/** emailRecipients lists who should receive an organization's lifecycle e-mail: owners and admins who did not opt out. */
export async function emailRecipients(organizationId: string): Promise<string[]> {
  const rows = await db.membership.findMany({
    where: { organizationId, role: { in: ['OWNER', 'ADMIN'] }, lifecycleEmailOptOut: false },
    select: { userId: true },
    orderBy: { createdAt: 'asc' },
  });
  return rows.map((r) => r.userId);
}

/**
 * sendLifecycleEmail e-mails one event to one member, over SMTP_URL (nodemailer). Checked again
 * at sending time: the member must still be an owner or admin of the event's organization and
 * not have opted out since, else nothing is sent ('skipped'); without SMTP_URL nothing is sent
 * either. A transport error throws, so that the queue retries.
 */
export async function sendLifecycleEmail(eventId: string, userId: string): Promise<'sent' | 'skipped'> {
  const mailer = transport();
  if (!mailer) return 'skipped';
  const event = await db.lifecycleEvent.findUnique({
    where: { id: eventId },
    select: { organizationId: true, payload: true },
  });
  if (!event) return 'skipped';
  const member = await db.membership.findUnique({
    where: { organizationId_userId: { organizationId: event.organizationId, userId } },
    select: { role: true, lifecycleEmailOptOut: true, user: { select: { email: true } } },
  });
  if (!member || member.role === 'AUDITOR' || member.lifecycleEmailOptOut) return 'skipped';
  const { subject, text } = renderEmail(event.payload as unknown as EventEnvelope);
  await mailer.sendMail({
    from: env().SMTP_FROM,
    to: member.user.email,
    subject,
    text,
    headers: { 'X-Latchkey-Event-Id': eventId },
  });
  return 'sent';
}
