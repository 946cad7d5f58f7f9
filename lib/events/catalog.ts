import { z } from 'zod';

/**
 * The lifecycle event catalog (issue 14): one type per event, each with the zod schema of its
 * `data`. Every event names its organization, the object it is about and that object's page in
 * the console; none carries a secret, a hash or key material (only ids, names, roles, dates).
 * The webhook body is the Standard Webhooks envelope `{ type, timestamp, data }`.
 */

const organization = z.object({ id: z.string(), slug: z.string() });
const links = z.object({ console: z.url() });
const serviceAccount = z.object({ id: z.string(), name: z.string() });

export const CREDENTIAL_KINDS = ['client_secret', 'key_pair', 'client_token_pair', 'federated_credential'] as const;
export type EventCredentialKind = (typeof CREDENTIAL_KINDS)[number];

const credential = z.object({
  id: z.string(),
  kind: z.enum(CREDENTIAL_KINDS),
  name: z.string().optional(),
  expiresAt: z.iso.datetime().optional(),
});

const credentialData = z.object({ organization, serviceAccount, credential, links });
const serviceAccountData = z.object({ organization, serviceAccount, links });
const memberData = z.object({
  organization,
  member: z.object({ userId: z.string(), email: z.string(), role: z.enum(['OWNER', 'ADMIN', 'AUDITOR']) }),
  links,
});
const webhookRef = z.object({ id: z.string(), url: z.string() });

export const EVENT_DATA = {
  'credential.created': credentialData,
  'credential.rotated': credentialData.extend({
    replacement: z.object({ id: z.string(), expiresAt: z.iso.datetime() }),
  }),
  'credential.disabled': credentialData,
  'credential.deleted': credentialData,
  'credential.expiring_30d': credentialData,
  'credential.expiring_7d': credentialData,
  'credential.expiring_1d': credentialData,
  'credential.expired': credentialData,
  'service_account.suspended': serviceAccountData,
  'service_account.reactivated': serviceAccountData,
  'service_account.revoked': serviceAccountData,
  'refresh_token.reuse_detected': serviceAccountData.extend({
    credential,
    refreshTokenFamily: z.object({ id: z.string() }),
  }),
  'federated_credential.refused': serviceAccountData.extend({
    credential,
    refusals: z.object({
      /** Refusals counted in this UTC hour when the event was emitted (one event per credential and hour). */
      count: z.number().int().positive(),
      hourStart: z.iso.datetime(),
      lastAt: z.iso.datetime(),
      /** The stable reason code of the last refusal (e.g. federated_subject_mismatch); never the token. */
      lastReason: z.string(),
      lastAddress: z.string().optional(),
      /** The external identity of the last refused token, when its signature verified. */
      externalIssuer: z.string().optional(),
      externalSubject: z.string().optional(),
    }),
  }),
  'audit_chain.verification_failed': z.object({
    organization,
    auditLog: z.object({ firstBrokenSeq: z.string(), reason: z.string(), checked: z.number().int() }),
    links,
  }),
  'member.added': memberData,
  'member.removed': memberData,
  'webhook.disabled': z.object({
    organization,
    webhook: webhookRef,
    consecutiveFailures: z.number().int(),
    links,
  }),
  'webhook.test': z.object({ organization, webhook: webhookRef, message: z.string(), links }),
} as const;

export type EventType = keyof typeof EVENT_DATA;
export type EventData<T extends EventType> = z.infer<(typeof EVENT_DATA)[T]>;

export const EVENT_TYPES = Object.keys(EVENT_DATA) as [EventType, ...EventType[]];

/** The types a webhook may subscribe to: all but the test event, which goes to one webhook on request. */
export const SUBSCRIBABLE_EVENT_TYPES = EVENT_TYPES.filter((t) => t !== 'webhook.test') as [EventType, ...EventType[]];
export const subscribableEventType = z.enum(SUBSCRIBABLE_EVENT_TYPES);

/** One line per type, for the console's checkboxes and the e-mail subject. */
export const EVENT_LABEL: Record<EventType, string> = {
  'credential.created': 'Credential created',
  'credential.rotated': 'Client secret rotated',
  'credential.disabled': 'Credential disabled',
  'credential.deleted': 'Credential deleted',
  'credential.expiring_30d': 'Credential expires in 30 days',
  'credential.expiring_7d': 'Credential expires in 7 days',
  'credential.expiring_1d': 'Credential expires within a day',
  'credential.expired': 'Credential expired',
  'service_account.suspended': 'Service account suspended',
  'service_account.reactivated': 'Service account reactivated',
  'service_account.revoked': 'Service account revoked',
  'refresh_token.reuse_detected': 'Refresh token reuse detected',
  'federated_credential.refused': 'Federated credential refused a workload token',
  'audit_chain.verification_failed': 'Audit chain verification failed',
  'member.added': 'Member added',
  'member.removed': 'Member removed',
  'webhook.disabled': 'Webhook disabled after repeated failures',
  'webhook.test': 'Test event',
};

/** The envelope every webhook receives (Standard Webhooks: type, timestamp, data). */
export type EventEnvelope<T extends EventType = EventType> = {
  type: T;
  timestamp: string;
  data: EventData<T>;
};
