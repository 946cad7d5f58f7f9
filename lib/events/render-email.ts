import { EVENT_LABEL, type EventEnvelope } from './catalog';

/** The subject of a lifecycle event, from what every event's data names. */
function subjectOf(envelope: EventEnvelope): string {
  const data = envelope.data as Record<string, unknown>;
  const named = (key: string) => {
    const value = data[key] as { name?: unknown; id?: unknown; email?: unknown; url?: unknown } | undefined;
    return value ? String(value.name ?? value.email ?? value.url ?? value.id ?? '') : '';
  };
  const credential = data.credential as { id?: string; name?: string } | undefined;
  if (credential && data.serviceAccount) return `${credential.name ?? credential.id} of ${named('serviceAccount')}`;
  return named('serviceAccount') || named('member') || named('webhook') || 'audit log';
}

/**
 * renderEmail turns an event into the plain-text e-mail owners and admins receive: what
 * happened to which object of which organization, and the console link. It holds what the
 * webhook body holds (never a secret) and nothing from outside the catalog's fields.
 */
export function renderEmail(envelope: EventEnvelope): { subject: string; text: string } {
  const data = envelope.data as { organization: { slug: string }; links: { console: string } };
  const label = EVENT_LABEL[envelope.type];
  const about = subjectOf(envelope);
  const subject = `[Latchkey ${data.organization.slug}] ${label}: ${about}`;
  const facts = Object.entries(envelope.data as Record<string, unknown>)
    .filter(([key]) => key !== 'links' && key !== 'organization')
    .map(([key, value]) => `${key}: ${JSON.stringify(value)}`);
  const text = [
    `${label} in organization ${data.organization.slug}, at ${envelope.timestamp}.`,
    '',
    ...facts,
    '',
    `Open in the console: ${data.links.console}`,
    '',
    'You receive this as an owner or admin of the organization. To stop these e-mails, turn them off on the Webhooks page of its settings.',
  ].join('\n');
  return { subject, text };
}
