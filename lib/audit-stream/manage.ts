import 'server-only';
import os from 'node:os';
import type { OrgContext } from '@/lib/auth/context';
import { assertCan } from '@/lib/auth/assert-can';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { seal } from '@/lib/crypto/secret-box';
import { db } from '@/lib/db/client';
import type { AuditSink } from '@/lib/db/generated/client';
import { env, loopbackHttpAllowed } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { newId, newUlid } from '@/lib/ids';
import { assertWebhookUrl } from '@/lib/webhooks/assert-webhook-url';
import { parseCidrs, addressAllowed } from '@/lib/webhooks/address-guard';
import ipaddr from 'ipaddr.js';
import { policyFor, sealedHeadersContext, sinkTarget } from './deliver';
import type { CreateAuditSinkInput, UpdateAuditSinkInput } from './schema';
import { SinkError, sendBatch } from './transports';

/** At most this many sinks of its own per organization. */
export const MAX_AUDIT_SINKS = 5;

/** An audit sink as the API and the console show it: never a header value. */
export type AuditSinkDto = {
  id: string;
  kind: AuditSink['kind'];
  name: string;
  instance_wide: boolean;
  status: AuditSink['status'];
  /** OTLP: url and the names of its headers; syslog: host, port, tls. */
  config: Record<string, unknown>;
  checkpoint_every_events: number;
  checkpoint_every_seconds: number;
  last_acked_seq: string;
  /** The chain head seq minus last_acked_seq: events not yet acknowledged by the sink. */
  lag: string;
  last_error: string | null;
  last_error_at: string | null;
  last_delivered_at: string | null;
  created_at: string;
};

function toDto(row: AuditSink, headSeq: bigint): AuditSinkDto {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    instance_wide: row.instanceWide,
    status: row.status,
    config: row.config as Record<string, unknown>,
    checkpoint_every_events: row.checkpointEveryEvents,
    checkpoint_every_seconds: row.checkpointEverySeconds,
    last_acked_seq: row.lastAckedSeq.toString(),
    lag: (headSeq > row.lastAckedSeq ? headSeq - row.lastAckedSeq : 0n).toString(),
    last_error: row.lastError,
    last_error_at: row.lastErrorAt?.toISOString() ?? null,
    last_delivered_at: row.lastDeliveredAt?.toISOString() ?? null,
    created_at: row.createdAt.toISOString(),
  };
}

async function headSeq(orgId: string): Promise<bigint> {
  const last = await db.auditEvent.findFirst({
    where: { organizationId: orgId },
    orderBy: { seq: 'desc' },
    select: { seq: true },
  });
  return last?.seq ?? 0n;
}

async function findSink(ctx: OrgContext, sinkId: string): Promise<AuditSink> {
  const row = await db.auditSink.findFirst({ where: { id: sinkId, organizationId: ctx.orgId } });
  if (!row) throw new AppError('not_found', 'Audit sink not found.');
  return row;
}

/** listAuditSinks lists the organization's sinks (its own and the instance-wide one) with their lag. */
export async function listAuditSinks(ctx: OrgContext): Promise<{ data: AuditSinkDto[] }> {
  assertCan(ctx, 'audit_sinks.read');
  const [rows, head] = await Promise.all([
    db.auditSink.findMany({
      where: { organizationId: ctx.orgId },
      orderBy: [{ instanceWide: 'desc' }, { createdAt: 'asc' }],
    }),
    headSeq(ctx.orgId),
  ]);
  return { data: rows.map((row) => toDto(row, head)) };
}

export async function getAuditSink(ctx: OrgContext, sinkId: string): Promise<AuditSinkDto> {
  assertCan(ctx, 'audit_sinks.read');
  return toDto(await findSink(ctx, sinkId), await headSeq(ctx.orgId));
}

/** A syslog host that is an IP address no organization's sink may reach is refused when saved. */
function assertSyslogHost(host: string): void {
  const bare = host.replace(/^\[|\]$/g, '');
  if (!ipaddr.isValid(bare)) return;
  if (addressAllowed(bare, loopbackHttpAllowed(), parseCidrs(env().WEBHOOK_ALLOWED_PRIVATE_CIDRS))) return;
  const message = 'This address is internal: sinks reach public addresses only (see WEBHOOK_ALLOWED_PRIVATE_CIDRS).';
  throw new AppError('validation_failed', message, { fields: { host: [message] } });
}

/**
 * createAuditSink adds a sink to the caller's organization, streaming from the chain's start.
 * OTLP header values (tokens) are sealed with the secret box, bound to the sink id; only their
 * names are kept in clear. Audited `audit_sink.created` (never a header value).
 */
export async function createAuditSink(ctx: OrgContext, input: CreateAuditSinkInput): Promise<AuditSinkDto> {
  assertCan(ctx, 'audit_sinks.write');
  const id = newId('auditSink');
  let config: Record<string, unknown>;
  let sealed: { sealed: Buffer<ArrayBuffer>; keyVersion: number } | null = null;
  if (input.kind === 'OTLP_HTTP') {
    assertWebhookUrl(input.url);
    const names = Object.keys(input.headers).map((n) => n.toLowerCase());
    config = { url: input.url, header_names: names };
    if (names.length > 0) sealed = seal(JSON.stringify(input.headers), sealedHeadersContext(id));
  } else {
    assertSyslogHost(input.host);
    config = { host: input.host, port: input.port, tls: input.tls };
  }
  const row = await db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT 1 FROM organizations WHERE id = ${ctx.orgId} FOR UPDATE`;
    if ((await tx.auditSink.count({ where: { organizationId: ctx.orgId, instanceWide: false } })) >= MAX_AUDIT_SINKS)
      throw new AppError('limit_exceeded', `An organization may have at most ${MAX_AUDIT_SINKS} audit sinks.`);
    const created = await tx.auditSink.create({
      data: {
        id,
        organizationId: ctx.orgId,
        kind: input.kind,
        name: input.name,
        config: config as object,
        secretEnc: sealed?.sealed ?? null,
        encKeyVersion: sealed?.keyVersion ?? null,
        checkpointEveryEvents: input.checkpoint_every_events,
        checkpointEverySeconds: input.checkpoint_every_seconds,
        createdById: ctx.actor.type === 'MEMBER' ? ctx.actor.id : null,
      },
    });
    await recordAuditEvent(tx, {
      organizationId: ctx.orgId,
      actor: ctx.actor,
      action: 'audit_sink.created',
      target: { type: 'audit_sink', id },
      meta: ctx,
      details: { kind: input.kind, name: input.name, ...config },
    });
    return created;
  });
  return toDto(row, await headSeq(ctx.orgId));
}

/**
 * updateAuditSink pauses or resumes a sink of the caller's organization, or changes its name or
 * checkpoint settings. Resuming clears the back-off. The instance-wide sink is the operator's:
 * organizations cannot change it (forbidden). Audited audit_sink.paused / resumed / updated.
 */
export async function updateAuditSink(
  ctx: OrgContext,
  sinkId: string,
  input: UpdateAuditSinkInput,
): Promise<AuditSinkDto> {
  assertCan(ctx, 'audit_sinks.write');
  return db.$transaction(async (tx) => {
    const current = await tx.auditSink.findFirst({ where: { id: sinkId, organizationId: ctx.orgId } });
    if (!current) throw new AppError('not_found', 'Audit sink not found.');
    if (current.instanceWide) throw new AppError('forbidden', 'The instance-wide sink is set by the operator.');
    const changed: Record<string, unknown> = {};
    if (input.name !== undefined && input.name !== current.name) changed.name = input.name;
    if (input.checkpoint_every_events !== undefined && input.checkpoint_every_events !== current.checkpointEveryEvents)
      changed.checkpointEveryEvents = input.checkpoint_every_events;
    if (
      input.checkpoint_every_seconds !== undefined &&
      input.checkpoint_every_seconds !== current.checkpointEverySeconds
    )
      changed.checkpointEverySeconds = input.checkpoint_every_seconds;
    const status = input.status !== undefined && input.status !== current.status ? input.status : undefined;
    if (Object.keys(changed).length === 0 && !status) return toDto(current, await headSeq(ctx.orgId));
    const row = await tx.auditSink.update({
      where: { id: sinkId },
      data: { ...changed, ...(status ? { status, consecutiveFailures: 0, nextAttemptAt: null } : {}) },
    });
    const action =
      Object.keys(changed).length > 0
        ? 'audit_sink.updated'
        : status === 'PAUSED'
          ? 'audit_sink.paused'
          : 'audit_sink.resumed';
    await recordAuditEvent(tx, {
      organizationId: ctx.orgId,
      actor: ctx.actor,
      action,
      target: { type: 'audit_sink', id: sinkId },
      meta: ctx,
      details: { ...changed, ...(status ? { status } : {}) },
    });
    return toDto(row, await headSeq(ctx.orgId));
  });
}

/** deleteAuditSink deletes a sink of the caller's organization (not the instance-wide one). Audited. */
export async function deleteAuditSink(ctx: OrgContext, sinkId: string): Promise<void> {
  assertCan(ctx, 'audit_sinks.write');
  await db.$transaction(async (tx) => {
    const row = await tx.auditSink.findFirst({ where: { id: sinkId, organizationId: ctx.orgId } });
    if (!row) throw new AppError('not_found', 'Audit sink not found.');
    if (row.instanceWide) throw new AppError('forbidden', 'The instance-wide sink is set by the operator.');
    await tx.auditSink.delete({ where: { id: sinkId } });
    await recordAuditEvent(tx, {
      organizationId: ctx.orgId,
      actor: ctx.actor,
      action: 'audit_sink.deleted',
      target: { type: 'audit_sink', id: sinkId },
      meta: ctx,
      details: { kind: row.kind, name: row.name, last_acked_seq: row.lastAckedSeq.toString() },
    });
  });
}

export type SinkTestResult = { ok: true } | { ok: false; error: string };

/**
 * testAuditSink sends one record of type `test` (which the verifier skips) to a sink of the
 * caller's organization and tells whether the sink acknowledged it; the cursor does not move.
 * Audited `audit_sink.tested` with the outcome.
 */
export async function testAuditSink(ctx: OrgContext, sinkId: string): Promise<SinkTestResult> {
  assertCan(ctx, 'audit_sinks.write');
  const sink = await findSink(ctx, sinkId);
  const target = sinkTarget(sink);
  let result: SinkTestResult = { ok: true };
  if (!target) result = { ok: false, error: 'the sink is not configured on this instance' };
  else
    try {
      await sendBatch(
        target,
        [
          {
            type: 'test',
            id: `${ctx.orgId}:test:${newUlid()}`,
            organization_id: ctx.orgId,
            seq: '0',
            time: new Date().toISOString(),
          },
        ],
        { policy: policyFor(sink), timeoutMs: env().AUDIT_STREAM_TIMEOUT_MS, hostName: os.hostname() },
      );
    } catch (error) {
      result = {
        ok: false,
        error: error instanceof SinkError ? error.message : 'the test failed (see the server log)',
      };
    }
  await db.$transaction((tx) =>
    recordAuditEvent(tx, {
      organizationId: ctx.orgId,
      actor: ctx.actor,
      action: 'audit_sink.tested',
      target: { type: 'audit_sink', id: sinkId },
      outcome: result.ok ? 'SUCCESS' : 'FAILURE',
      meta: ctx,
      details: result.ok ? {} : { error: result.error },
    }),
  );
  return result;
}
