import type { ChainedEvent } from '@/lib/audit/hash-chain';

/**
 * The records of an audit stream (README "Audit streaming"). Every transport carries the same
 * record JSON: NDJSON lines, the body of an OTLP log record, the MSG of a syslog message. `id`
 * is the same on every redelivery (at least once), so a receiver or the verifier drops duplicates.
 */
export type StreamEventRecord = {
  type: 'audit_event';
  /** `<organization_id>:<seq>` */
  id: string;
  event_id: string;
  organization_id: string;
  seq: string;
  occurred_at: string;
  actor_type: string;
  actor_id: string | null;
  actor_label: string;
  action: string;
  target_type: string | null;
  target_id: string | null;
  outcome: string;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  details: unknown;
  prev_hash: string;
  hash: string;
};

/** A signed statement that the organization's chain had `head_hash` at `seq` (compact JWS, ES256). */
export type StreamCheckpointRecord = {
  type: 'checkpoint';
  /** `<organization_id>:checkpoint:<seq>` */
  id: string;
  organization_id: string;
  seq: string;
  head_hash: string;
  time: string;
  jws: string;
};

/** What testing a sink sends: no part of the chain (the verifier skips it). */
export type StreamTestRecord = { type: 'test'; id: string; organization_id: string; seq: '0'; time: string };

export type StreamRecord = StreamEventRecord | StreamCheckpointRecord | StreamTestRecord;

/** The claims of a checkpoint's JWS payload. */
export type CheckpointClaims = { iss: string; org: string; seq: string; head: string; iat: number };

export type StoredEvent = ChainedEvent & { id: bigint; organizationId: string; hash: string };

export function eventRecord(e: StoredEvent): StreamEventRecord {
  return {
    type: 'audit_event',
    id: `${e.organizationId}:${e.seq}`,
    event_id: e.id.toString(),
    organization_id: e.organizationId,
    seq: e.seq.toString(),
    occurred_at: e.occurredAt.toISOString(),
    actor_type: e.actorType,
    actor_id: e.actorId,
    actor_label: e.actorLabel,
    action: e.action,
    target_type: e.targetType,
    target_id: e.targetId,
    outcome: e.outcome,
    ip: e.ip,
    user_agent: e.userAgent,
    request_id: e.requestId,
    details: e.details,
    prev_hash: e.prevHash,
    hash: e.hash,
  };
}

/** chainedEvent turns a received event record back into the fields its hash covers. */
export function chainedEvent(r: StreamEventRecord): ChainedEvent {
  return {
    organizationId: r.organization_id,
    seq: BigInt(r.seq),
    occurredAt: new Date(r.occurred_at),
    actorType: r.actor_type,
    actorId: r.actor_id,
    actorLabel: r.actor_label,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    outcome: r.outcome,
    ip: r.ip,
    userAgent: r.user_agent,
    requestId: r.request_id,
    details: r.details,
    prevHash: r.prev_hash,
  };
}

type AnyValue = { stringValue: string } | { intValue: string } | { boolValue: boolean };
type KeyValue = { key: string; value: AnyValue };

const str = (key: string, value: string | null | undefined): KeyValue[] =>
  value == null ? [] : [{ key, value: { stringValue: value } }];

/**
 * otlpLogRecord maps a record to an OTLP/JSON LogRecord (opentelemetry-proto logs.proto, JSON
 * encoding: 64-bit integers as strings). The body is the record JSON itself, so the capture a
 * SIEM keeps can be verified; the attributes use OpenTelemetry semantic conventions where one
 * fits (event.name, enduser.id, client.address, user_agent.original) and OCSF-style names for
 * the rest (actor.user.name, status, metadata.uid), with latchkey.* for the chain fields.
 */
export function otlpLogRecord(record: StreamRecord, observedAt: Date) {
  const observed = `${BigInt(observedAt.getTime()) * 1_000_000n}`;
  if (record.type !== 'audit_event')
    return {
      timeUnixNano: `${BigInt(Date.parse(record.time)) * 1_000_000n}`,
      observedTimeUnixNano: observed,
      severityNumber: 9,
      severityText: 'INFO',
      eventName: `latchkey.audit.${record.type}`,
      body: { stringValue: JSON.stringify(record) },
      attributes: [
        ...str('event.name', `latchkey.audit.${record.type}`),
        ...str('metadata.uid', record.id),
        ...str('latchkey.organization.id', record.organization_id),
        { key: 'latchkey.audit.seq', value: { intValue: record.seq } },
        ...str('latchkey.audit.head_hash', record.type === 'checkpoint' ? record.head_hash : null),
      ],
    };
  const failed = record.outcome !== 'SUCCESS';
  return {
    timeUnixNano: `${BigInt(Date.parse(record.occurred_at)) * 1_000_000n}`,
    observedTimeUnixNano: observed,
    severityNumber: failed ? 13 : 9,
    severityText: failed ? 'WARN' : 'INFO',
    eventName: record.action,
    body: { stringValue: JSON.stringify(record) },
    attributes: [
      ...str('event.name', record.action),
      ...str('enduser.id', record.actor_id),
      ...str('client.address', record.ip),
      ...str('user_agent.original', record.user_agent),
      ...str('actor.type', record.actor_type),
      ...str('actor.user.name', record.actor_label),
      ...str('status', failed ? 'Failure' : 'Success'),
      ...str('metadata.uid', record.id),
      ...str('metadata.correlation_uid', record.request_id),
      ...str('resource.type', record.target_type),
      ...str('resource.uid', record.target_id),
      ...str('latchkey.organization.id', record.organization_id),
      ...str('latchkey.audit.event_id', record.event_id),
      { key: 'latchkey.audit.seq', value: { intValue: record.seq } },
      ...str('latchkey.audit.hash', record.hash),
      ...str('latchkey.audit.prev_hash', record.prev_hash),
    ],
  };
}

/** otlpRequest is an ExportLogsServiceRequest (OTLP/JSON) of one batch, in stream order. */
export function otlpRequest(records: StreamRecord[], observedAt: Date, hostName: string) {
  return {
    resourceLogs: [
      {
        resource: {
          attributes: [
            { key: 'service.name', value: { stringValue: 'latchkey' } },
            { key: 'host.name', value: { stringValue: hostName } },
          ],
        },
        scopeLogs: [
          { scope: { name: 'latchkey.audit' }, logRecords: records.map((r) => otlpLogRecord(r, observedAt)) },
        ],
      },
    ],
  };
}

// RFC 5424 section 6.3.3: in an SD-PARAM value, '"', '\' and ']' are escaped with a backslash.
const sdValue = (v: string): string => v.replace(/["\\\]]/g, (c) => `\\${c}`);

/** RFC 5424 header fields are PRINTUSASCII without spaces, at most `max` characters, '-' when empty. */
const headerField = (v: string, max: number): string => v.replace(/[^\x21-\x7e]/g, '').slice(0, max) || '-';

/**
 * syslogMessage formats a record as one RFC 5424 message: facility 13 (log audit), severity 6
 * (informational) or 4 (warning, a failed action), MSGID audit or checkpoint, the chain fields
 * as structured data (SD-ID latchkey@32473: 32473 is the documentation enterprise number of
 * RFC 5612; no private enterprise number is registered for Latchkey) and the record JSON as MSG
 * (UTF-8, with the BOM the RFC asks for). Written here: the syslog packages of the registry are
 * UDP/TCP senders for application logging that neither take a pre-built structured-data block
 * nor report when a frame is flushed, which at-least-once delivery needs.
 */
export function syslogMessage(record: StreamRecord, hostName: string): string {
  const failed = record.type === 'audit_event' && record.outcome !== 'SUCCESS';
  const pri = 13 * 8 + (failed ? 4 : 6);
  const time = record.type === 'audit_event' ? record.occurred_at : record.time;
  const msgId = record.type === 'audit_event' ? 'audit' : record.type;
  const common = `id="${sdValue(record.id)}" org="${sdValue(record.organization_id)}" seq="${record.seq}"`;
  const sd =
    record.type === 'audit_event'
      ? `[latchkey@32473 ${common} hash="${record.hash}" prev="${record.prev_hash}" action="${sdValue(record.action)}"]`
      : record.type === 'checkpoint'
        ? `[latchkey@32473 ${common} head="${record.head_hash}"]`
        : `[latchkey@32473 ${common}]`;
  return `<${pri}>1 ${time} ${headerField(hostName, 255)} latchkey - ${msgId} ${sd} \ufeff${JSON.stringify(record)}`;
}

/** octetFrame is RFC 6587 octet-counting framing: the message's length in bytes, a space, the message. */
export function octetFrame(message: string): Buffer {
  const body = Buffer.from(message, 'utf8');
  return Buffer.concat([Buffer.from(`${body.length} `, 'ascii'), body]);
}

/** recordFromSyslog takes the record JSON back out of a syslog message (its MSG, after the BOM). */
export function recordFromSyslog(message: string): unknown {
  const at = message.indexOf('\ufeff');
  return JSON.parse(at >= 0 ? message.slice(at + 1) : message.slice(message.indexOf('] ') + 2));
}
