import { describe, expect, it } from 'vitest';
import { octetFrame, recordFromSyslog, syslogMessage, type StreamEventRecord } from './records';
import { parseCapturedLine } from './verify-stream';

const record: StreamEventRecord = {
  type: 'audit_event',
  id: 'org_1:7',
  event_id: '42',
  organization_id: 'org_1',
  seq: '7',
  occurred_at: '2026-12-03T10:00:00.123Z',
  actor_type: 'MEMBER',
  actor_id: 'usr_1',
  actor_label: 'ada@example.test',
  action: 'webhook.created',
  target_type: 'webhook',
  target_id: 'wh_1',
  outcome: 'FAILURE',
  ip: '192.0.2.1',
  user_agent: 'curl/8',
  request_id: 'req-1',
  details: { note: 'ü "quoted" ] \\' },
  prev_hash: 'a'.repeat(64),
  hash: 'b'.repeat(64),
};

describe('syslog formatting', () => {
  it('writes an RFC 5424 message with escaped structured data and the record as MSG', () => {
    const message = syslogMessage({ ...record, action: 'x"]\\y' }, 'host name\u00e9');
    // facility 13 (log audit) * 8 + severity 4 (warning: a failed action)
    expect(message.startsWith('<108>1 2026-12-03T10:00:00.123Z hostname latchkey - audit [latchkey@32473 ')).toBe(true);
    expect(message).toContain('action="x\\"\\]\\\\y"]');
    expect(recordFromSyslog(message)).toEqual({ ...record, action: 'x"]\\y' });
    expect(parseCapturedLine(message)).toEqual({ ...record, action: 'x"]\\y' });
  });

  it('frames by the byte length of the UTF-8 message (RFC 6587 octet counting)', () => {
    const frame = octetFrame('ü€');
    expect(frame.toString('utf8')).toBe('5 ü€');
  });

  it('reads a capture line as a record, an OTLP log record or refuses it', () => {
    expect(parseCapturedLine(JSON.stringify(record))).toEqual(record);
    expect(parseCapturedLine(JSON.stringify({ body: { stringValue: JSON.stringify(record) } }))).toEqual(record);
    expect(() => parseCapturedLine('{"type":"other","id":"x","organization_id":"o","seq":"1"}')).toThrow();
    expect(() => parseCapturedLine('not json')).toThrow();
  });
});
