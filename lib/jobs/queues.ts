/** The pg-boss queues of Latchkey (schema "pgboss"). */
export const QUEUES = {
  /** One attempt at one webhook delivery; pg-boss retries it with exponential back-off. */
  deliverWebhook: 'deliver-webhook',
  /** One lifecycle e-mail to one member. */
  sendEmail: 'send-email',
  /** The expiry scan, scheduled hourly. */
  scanExpiring: 'scan-expiring',
  /** The federated-refusal scan, every five minutes: one event per credential and hour. */
  scanFederatedRefusals: 'scan-federated-refusals',
  /** Safety net of the outbox: every minute, dispatch what a missed NOTIFY left behind. */
  dispatchEvents: 'dispatch-events',
  /** Audit streaming to SIEM sinks: a round every minute (and every AUDIT_STREAM_INTERVAL_MS in each worker). */
  streamAudit: 'stream-audit',
} as const;

export type DeliverWebhookJob = { deliveryId: string };
export type SendEmailJob = { eventId: string; userId: string };
