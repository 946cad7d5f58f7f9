import net from 'node:net';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/lib/db/client';
import { env } from '@/lib/env';
import { publishedJwks } from '@/lib/signing-keys/signing-keys';
import { appendTestEvents } from '@/lib/testing/audit-fixtures';
import { createTestMember, createTestOrg, memberCtx } from '@/lib/testing/factories';
import { startWebhookReceiver, type WebhookReceiver } from '@/lib/testing/webhook-receiver';
import { deliverSink, deliverSinkOnce } from './deliver';
import {
  createAuditSink,
  deleteAuditSink,
  getAuditSink,
  listAuditSinks,
  testAuditSink,
  updateAuditSink,
} from './manage';
import { createAuditSinkInput } from './schema';
import { verifyStream } from './verify-stream';

// Real loopback receivers: an OTLP/HTTP one (node:http, the JSON body parsed) and a syslog TCP
// one (RFC 6587 octet counting). The captured stream must pass the offline verifier.

let pool: pg.Pool;
beforeAll(() => {
  pool = new pg.Pool({ connectionString: env().DATABASE_URL, max: 3 });
});
afterAll(() => pool.end());

const events = (n: number, label = 'stream') =>
  Array.from({ length: n }, (_, i) => ({
    occurredAt: new Date(Date.now() - (n - i) * 1000),
    action: 'service_account.created',
    details: { label, i, nested: { quote: 'a "b" ] \\ c', unicode: 'ü€' } },
  }));

/** The log records' bodies (one stream record each) of every request the receiver got. */
function otlpCapture(receiver: Pick<WebhookReceiver, 'received'>): string[] {
  return receiver.received.flatMap((r) => {
    const body = JSON.parse(r.body) as {
      resourceLogs: { scopeLogs: { logRecords: { body: { stringValue: string } }[] }[] }[];
    };
    return body.resourceLogs.flatMap((rl) =>
      rl.scopeLogs.flatMap((sl) => sl.logRecords.map((lr) => JSON.stringify(lr))),
    );
  });
}

async function setup() {
  const org = await createTestOrg();
  const owner = await createTestMember(org.id, 'OWNER');
  return { org, ctx: memberCtx(org, owner, 'OWNER') };
}

async function headSeq(orgId: string): Promise<bigint> {
  const last = await db.auditEvent.findFirst({ where: { organizationId: orgId }, orderBy: { seq: 'desc' } });
  return last?.seq ?? 0n;
}

describe('OTLP/HTTP audit stream', () => {
  it('delivers in chain order, survives a 503 and a refused connection, and the capture verifies', async () => {
    const { org, ctx } = await setup();
    let receiver = await startWebhookReceiver();
    const port = receiver.port;
    receiver.respond = () => ({ status: 200, body: '{}' });
    const sink = await createAuditSink(
      ctx,
      createAuditSinkInput.parse({
        kind: 'OTLP_HTTP',
        name: 'collector',
        url: `${receiver.url}/v1/logs`,
        headers: { Authorization: 'Bearer s3cret-token' },
        checkpoint_every_events: 5,
      }),
    );
    // The header value is sealed, never stored in clear nor returned.
    const row = await db.auditSink.findUniqueOrThrow({ where: { id: sink.id } });
    expect(JSON.stringify(row.config)).not.toContain('s3cret');
    expect(JSON.stringify(await listAuditSinks(ctx))).not.toContain('s3cret');
    expect(row.secretEnc).not.toBeNull();

    await appendTestEvents(org.id, events(12));
    const first = await deliverSinkOnce(sink.id);
    expect(first).toMatchObject({ outcome: 'delivered', ackedSeq: await headSeq(org.id) });
    expect(receiver.received[0]?.headers.authorization).toBe('Bearer s3cret-token');
    expect(receiver.received[0]?.headers['content-type']).toBe('application/json');
    const firstBody = JSON.parse(receiver.received[0]!.body);
    const records = firstBody.resourceLogs[0].scopeLogs[0].logRecords;
    const attributes = Object.fromEntries(
      records
        .at(-1)
        .attributes.map((a: { key: string; value: Record<string, unknown> }) => [a.key, Object.values(a.value)[0]]),
    );
    expect(records[0].attributes.find((a: { key: string }) => a.key === 'event.name')).toBeTruthy();
    expect(Object.keys(attributes)).toEqual(expect.arrayContaining(['latchkey.organization.id', 'latchkey.audit.seq']));
    // Checkpoints every 5 events: seq 5, 10, ... are followed by one.
    expect(
      records.filter((r: { eventName: string }) => r.eventName === 'latchkey.audit.checkpoint').length,
    ).toBeGreaterThanOrEqual(2);

    // The sink fails: 503, then refused. The cursor stays, the error is on the sink.
    await appendTestEvents(org.id, events(7, 'second'));
    const acked = (await db.auditSink.findUniqueOrThrow({ where: { id: sink.id } })).lastAckedSeq;
    receiver.respond = () => ({ status: 503 });
    expect(await deliverSinkOnce(sink.id)).toEqual({ outcome: 'failed', error: 'HTTP 503 from the receiver' });
    await receiver.close();
    expect(await deliverSinkOnce(sink.id)).toEqual({ outcome: 'failed', error: 'connection refused' });
    const failing = await getAuditSink(ctx, sink.id);
    expect(failing).toMatchObject({ last_acked_seq: acked.toString(), last_error: 'connection refused', lag: '7' });
    expect(failing.last_error_at).not.toBeNull();
    expect((await db.auditSink.findUniqueOrThrow({ where: { id: sink.id } })).consecutiveFailures).toBe(2);

    // Back on the same port: the stream continues where it was acknowledged.
    const previous = receiver.received;
    receiver = await startWebhookReceiver(port);
    receiver.respond = () => ({ status: 204 });
    expect(await deliverSinkOnce(sink.id)).toMatchObject({ outcome: 'delivered', ackedSeq: await headSeq(org.id) });
    expect(await deliverSinkOnce(sink.id)).toEqual({ outcome: 'idle' });
    expect(await getAuditSink(ctx, sink.id)).toMatchObject({ lag: '0' });

    // Everything received, the 503'd batch included (a duplicate of what came after), verifies.
    const capture = [...otlpCapture({ received: previous }), ...otlpCapture(receiver)];
    const verdict = await verifyStream(capture, await publishedJwks());
    expect(verdict).toMatchObject({
      ok: true,
      organizations: [{ organization_id: org.id, last_seq: (await headSeq(org.id)).toString() }],
    });
    if (verdict.ok) expect(verdict.duplicates).toBeGreaterThan(0);
    await receiver.close();
  });
});

type SyslogReceiver = { port: number; messages: string[]; close: () => Promise<void> };

/** A syslog receiver over TCP with RFC 6587 octet-counting framing. */
async function startSyslogReceiver(port = 0): Promise<SyslogReceiver> {
  const messages: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    let buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const space = buffer.indexOf(0x20);
        if (space < 0) break;
        const length = Number(buffer.subarray(0, space).toString('ascii'));
        if (buffer.length < space + 1 + length) break;
        messages.push(buffer.subarray(space + 1, space + 1 + length).toString('utf8'));
        buffer = buffer.subarray(space + 1 + length);
      }
    });
    socket.on('end', () => socket.end());
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    messages,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('syslog TCP audit stream', () => {
  it('frames RFC 5424 messages, resumes after the receiver went away, and the capture verifies', async () => {
    const { org, ctx } = await setup();
    let receiver = await startSyslogReceiver();
    const port = receiver.port;
    const sink = await createAuditSink(
      ctx,
      createAuditSinkInput.parse({ kind: 'SYSLOG_TCP', host: '127.0.0.1', port, checkpoint_every_events: 4 }),
    );
    await appendTestEvents(org.id, events(9));
    expect(await deliverSinkOnce(sink.id)).toMatchObject({ outcome: 'delivered' });
    const first = receiver.messages[0]!;
    expect(first).toMatch(/^<110>1 \d{4}-\d\d-\d\dT[\d:.]+Z \S+ latchkey - audit \[latchkey@32473 id="[^"]+" org="/);
    await receiver.close();

    await appendTestEvents(org.id, events(5, 'after'));
    expect(await deliverSinkOnce(sink.id)).toEqual({ outcome: 'failed', error: 'connection refused' });
    const earlier = receiver.messages;
    receiver = await startSyslogReceiver(port);
    expect(await deliverSinkOnce(sink.id)).toMatchObject({ outcome: 'delivered', ackedSeq: await headSeq(org.id) });
    await receiver.close();

    const capture = [...earlier, ...receiver.messages];
    const verdict = await verifyStream(capture, await publishedJwks());
    expect(verdict).toMatchObject({ ok: true, organizations: [{ last_seq: (await headSeq(org.id)).toString() }] });

    // A removed event and an altered one are each found, at their seq.
    const eventLines = capture.filter((m) => m.includes(' audit ['));
    const removed = eventLines[6]!;
    const removedSeq = /seq="(\d+)"/.exec(removed)![1];
    const gap = await verifyStream(
      capture.filter((m) => m !== removed),
      await publishedJwks(),
    );
    expect(gap).toMatchObject({ ok: false, problem: { reason: 'sequence_gap', seq: removedSeq } });
    const victim = eventLines[3]!;
    const victimSeq = /seq="(\d+)"/.exec(victim)![1];
    const altered = capture.map((m) => (m === victim ? m.replace('"outcome":"SUCCESS"', '"outcome":"FAILURE"') : m));
    expect(altered).not.toEqual(capture);
    expect(await verifyStream(altered, await publishedJwks())).toMatchObject({
      ok: false,
      problem: { reason: 'hash_mismatch', seq: victimSeq },
    });
    // A checkpoint whose head was changed, or whose event was replaced (re-hashed), is caught.
    const checkpoint = capture.find((m) => m.includes(' checkpoint ['))!;
    const cpSeq = /seq="(\d+)"/.exec(checkpoint)![1];
    const headChanged = capture.map((m) =>
      m === checkpoint ? m.replace(/"head_hash":"[0-9a-f]{64}"/, `"head_hash":"${'f'.repeat(64)}"`) : m,
    );
    expect(await verifyStream(headChanged, await publishedJwks())).toMatchObject({
      ok: false,
      problem: { reason: 'checkpoint_mismatch', seq: cpSeq },
    });
    // Checkpoints signed by a key the JWKS does not hold do not verify.
    const forged = await verifyStream(capture, { keys: [] });
    expect(forged).toMatchObject({ ok: false, problem: { reason: 'checkpoint_signature_invalid' } });
    await deleteAuditSink(ctx, sink.id);
  });
});

describe('two workers on one sink', () => {
  it('never double-advance or skip: one acknowledgement moves the cursor', async () => {
    const { org, ctx } = await setup();
    const receiver = await startWebhookReceiver();
    const sink = await createAuditSink(
      ctx,
      createAuditSinkInput.parse({ kind: 'OTLP_HTTP', url: `${receiver.url}/v1/logs` }),
    );
    await appendTestEvents(org.id, events(6));
    const outcomes = await Promise.all([deliverSinkOnce(sink.id), deliverSinkOnce(sink.id)]);
    const delivered = outcomes.filter((o) => o.outcome === 'delivered');
    expect(delivered).toHaveLength(1);
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['delivered', 'raced']);
    const row = await db.auditSink.findUniqueOrThrow({ where: { id: sink.id } });
    expect(row.lastAckedSeq).toBe(await headSeq(org.id));
    const head = await db.auditEvent.findFirstOrThrow({ where: { organizationId: org.id }, orderBy: { seq: 'desc' } });
    expect(row.lastAckedHash).toBe(head.hash);

    // With the sink's lock held elsewhere, a worker does not send at all.
    await appendTestEvents(org.id, events(2));
    const holder = await pool.connect();
    try {
      await holder.query('SELECT pg_advisory_lock(7240015, hashtext($1))', [sink.id]);
      const before = receiver.received.length;
      expect(await deliverSink(pool, sink.id)).toEqual({ outcome: 'busy' });
      expect(receiver.received.length).toBe(before);
      await holder.query('SELECT pg_advisory_unlock(7240015, hashtext($1))', [sink.id]);
    } finally {
      holder.release();
    }
    expect(await deliverSink(pool, sink.id)).toMatchObject({ outcome: 'delivered', ackedSeq: await headSeq(org.id) });
    await receiver.close();
  });
});

describe('audit sink management', () => {
  it('keeps each organization to its own sinks and auditors to reading', async () => {
    const a = await setup();
    const b = await setup();
    const sink = await createAuditSink(
      a.ctx,
      createAuditSinkInput.parse({ kind: 'SYSLOG_TCP', host: '127.0.0.1', port: 6514, tls: true }),
    );
    await expect(getAuditSink(b.ctx, sink.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(updateAuditSink(b.ctx, sink.id, { status: 'PAUSED' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(deleteAuditSink(b.ctx, sink.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(testAuditSink(b.ctx, sink.id)).rejects.toMatchObject({ code: 'not_found' });
    expect(await listAuditSinks(b.ctx)).toEqual({ data: [] });

    const auditorUser = await createTestMember(a.org.id, 'AUDITOR');
    const auditor = memberCtx(a.org, auditorUser, 'AUDITOR');
    expect((await listAuditSinks(auditor)).data.map((s) => s.id)).toEqual([sink.id]);
    await expect(updateAuditSink(auditor, sink.id, { status: 'PAUSED' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(deleteAuditSink(auditor, sink.id)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(
      createAuditSink(
        auditor,
        createAuditSinkInput.parse({ kind: 'SYSLOG_TCP', host: 'siem.example.test', port: 514 }),
      ),
    ).rejects.toMatchObject({ code: 'forbidden' });

    // Paused: nothing is sent; the change is audited.
    expect(await updateAuditSink(a.ctx, sink.id, { status: 'PAUSED' })).toMatchObject({ status: 'PAUSED' });
    expect(await deliverSinkOnce(sink.id)).toEqual({ outcome: 'idle' });
    const audited = await db.auditEvent.findMany({
      where: { organizationId: a.org.id, targetId: sink.id },
      orderBy: { seq: 'asc' },
      select: { action: true },
    });
    expect(audited.map((e) => e.action)).toEqual(['audit_sink.created', 'audit_sink.paused']);
  });

  it('refuses bad input and internal addresses with stable codes', async () => {
    const { ctx } = await setup();
    for (const bad of [
      { kind: 'NDJSON_FILE', path: '/etc/passwd' },
      { kind: 'OTLP_HTTP', url: 'ftp://x.example.test/' },
      { kind: 'OTLP_HTTP', url: 'https://x.example.test/', headers: { 'bad header': 'x' } },
      { kind: 'SYSLOG_TCP', host: 'siem.example.test', port: 70000 },
      { kind: 'SYSLOG_TCP', host: 'a b', port: 514 },
      { kind: 'OTLP_HTTP', url: 'https://x.example.test/', checkpoint_every_events: 0 },
    ])
      expect(createAuditSinkInput.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    await expect(
      createAuditSink(ctx, createAuditSinkInput.parse({ kind: 'OTLP_HTTP', url: 'https://10.0.0.5/v1/logs' })),
    ).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(
      createAuditSink(ctx, createAuditSinkInput.parse({ kind: 'SYSLOG_TCP', host: '169.254.169.254', port: 514 })),
    ).rejects.toMatchObject({ code: 'validation_failed' });
  });
});

describe('the job worker', () => {
  it('streams new events to an active sink on its own, and an NDJSON file capture verifies', async () => {
    const { startJobWorker } = await import('@/lib/jobs/job-worker');
    const { org, ctx } = await setup();
    const receiver = await startWebhookReceiver();
    await createAuditSink(ctx, createAuditSinkInput.parse({ kind: 'OTLP_HTTP', url: `${receiver.url}/v1/logs` }));
    const worker = await startJobWorker({
      connectionString: env().DATABASE_URL,
      pollingIntervalSeconds: 0.5,
      auditStreamIntervalMs: 200,
    });
    try {
      await appendTestEvents(org.id, events(3));
      const head = await headSeq(org.id);
      await expect
        .poll(() => otlpCapture(receiver).filter((l) => l.includes(`${org.id}:${head}`)).length, { timeout: 15_000 })
        .toBeGreaterThan(0);
    } finally {
      await worker.stop();
      await receiver.close();
    }
    expect((await verifyStream(otlpCapture(receiver), await publishedJwks())).ok).toBe(true);
  });
});

describe('the NDJSON file transport', () => {
  it('appends and fsyncs one record per line, which the verifier reads as they are', async () => {
    const { mkdtemp, readFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const { sendBatch } = await import('./transports');
    const { eventRecord } = await import('./records');
    const { signCheckpoint } = await import('./checkpoint');
    const { org } = await setup();
    await appendTestEvents(org.id, events(3));
    const rows = await db.auditEvent.findMany({ where: { organizationId: org.id }, orderBy: { seq: 'asc' } });
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'latchkey-stream-')), 'audit.ndjson');
    const records = rows.map((r) => eventRecord({ ...r, organizationId: org.id }));
    const last = rows.at(-1)!;
    const options = { policy: { allowLoopback: true, allowedCidrs: [] }, timeoutMs: 1000, hostName: 'test' };
    await sendBatch({ kind: 'NDJSON_FILE', path: file }, records.slice(0, 2), options);
    await sendBatch(
      { kind: 'NDJSON_FILE', path: file },
      [...records.slice(1), await signCheckpoint(org.id, last.seq, last.hash, new Date())],
      options,
    );
    const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(records.length + 2);
    expect(await verifyStream(lines, await publishedJwks())).toMatchObject({
      ok: true,
      duplicates: 1,
      organizations: [{ last_seq: last.seq.toString(), last_checkpoint_seq: last.seq.toString() }],
    });

    // The CLI: exit 0 and the verdict for the capture; exit 1 once an event is altered.
    const { execFile } = await import('node:child_process');
    const { writeFile } = await import('node:fs/promises');
    const jwksFile = `${file}.jwks.json`;
    await writeFile(jwksFile, JSON.stringify(await publishedJwks()));
    const cli = (capture: string) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(
          path.resolve(import.meta.dirname, '../../node_modules/.bin/tsx'),
          ['--conditions=react-server', 'scripts/cli.ts', 'audit', 'verify-stream', capture, '--jwks', jwksFile],
          { cwd: path.resolve(import.meta.dirname, '../..'), env: { ...process.env, LOG_LEVEL: 'silent' } },
          (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
        );
      });
    const good = await cli(file);
    expect(good.stderr).toContain(`${org.id}: complete and unaltered up to seq ${last.seq}`);
    expect(good.code).toBe(0);
    const altered = `${file}.altered`;
    await writeFile(altered, lines.map((l) => l.replace('"i":1,', '"i":7,')).join('\n'));
    const bad = await cli(altered);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^hash_mismatch at seq \d+/);
  });
});

describe('the instance-wide sink (environment)', () => {
  it('gets a cursor row per organization, streams to the operator file, and organizations cannot change it', async () => {
    const { mkdtemp, readFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const { resetEnvCache } = await import('@/lib/env');
    const { ensureInstanceSinks } = await import('./deliver');
    const { org, ctx } = await setup();
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'latchkey-instance-')), 'audit.ndjson');
    process.env.AUDIT_STREAM_FILE = file;
    resetEnvCache();
    try {
      await ensureInstanceSinks(org.id);
      await ensureInstanceSinks(org.id); // idempotent
      const rows = await db.auditSink.findMany({ where: { organizationId: org.id } });
      expect(rows).toMatchObject([{ kind: 'NDJSON_FILE', instanceWide: true, status: 'ACTIVE' }]);
      const sinkId = rows[0]!.id;
      expect(sinkId).toMatch(/^ask_[0-9A-HJKMNP-TV-Z]{26}$/);
      await appendTestEvents(org.id, events(4));
      expect(await deliverSinkOnce(sinkId)).toMatchObject({ outcome: 'delivered', ackedSeq: await headSeq(org.id) });
      const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
      expect(await verifyStream(lines, await publishedJwks())).toMatchObject({ ok: true });
      expect((await listAuditSinks(ctx)).data).toMatchObject([{ id: sinkId, instance_wide: true, lag: '0' }]);
      await expect(updateAuditSink(ctx, sinkId, { status: 'PAUSED' })).rejects.toMatchObject({ code: 'forbidden' });
      await expect(deleteAuditSink(ctx, sinkId)).rejects.toMatchObject({ code: 'forbidden' });
    } finally {
      delete process.env.AUDIT_STREAM_FILE;
      resetEnvCache();
    }
  });
});
