'use server';

import { revalidatePath } from 'next/cache';
import { defineAction } from '@/lib/actions/define-action';
import { AppError } from '@/lib/errors';
import { createAuditSink, deleteAuditSink, testAuditSink, updateAuditSink } from '@/lib/audit-stream/manage';
import { auditSinkRef, auditSinkStatusForm, createAuditSinkForm } from '@/lib/audit-stream/schema';
import { paths } from '@/lib/paths';

// Add a sink to the organization (OTLP header values are sealed and never shown again).
export const createAuditSinkAction = defineAction(
  { input: createAuditSinkForm, permission: 'audit_sinks.write' },
  async (ctx, input) => {
    const sink = await createAuditSink(ctx, input);
    revalidatePath(paths.auditStreaming(ctx.orgSlug));
    return { id: sink.id };
  },
);

// Pause or resume a sink.
export const setAuditSinkStatusAction = defineAction(
  { input: auditSinkStatusForm, permission: 'audit_sinks.write' },
  async (ctx, { id, status }) => {
    await updateAuditSink(ctx, id, { status });
    revalidatePath(paths.auditStreaming(ctx.orgSlug));
  },
);

// Send a sink a test record; the answer says whether it acknowledged it.
export const testAuditSinkAction = defineAction(
  { input: auditSinkRef, permission: 'audit_sinks.write' },
  async (ctx, { id }) => {
    const result = await testAuditSink(ctx, id);
    revalidatePath(paths.auditStreaming(ctx.orgSlug));
    // Shown next to the button, as every action's error is.
    if (!result.ok)
      throw new AppError('service_unavailable', `The sink did not acknowledge the test: ${result.error}.`);
    return result;
  },
);

// Delete a sink.
export const deleteAuditSinkAction = defineAction(
  { input: auditSinkRef, permission: 'audit_sinks.write' },
  async (ctx, { id }) => {
    await deleteAuditSink(ctx, id);
    revalidatePath(paths.auditStreaming(ctx.orgSlug));
  },
);
