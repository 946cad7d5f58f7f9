import 'server-only';
import { env } from '@/lib/env';
import { logger } from '@/lib/logger';
import { moduleState } from '@/lib/process-state';
import { startJobWorker, type JobWorker } from './job-worker';

/**
 * startJobs starts this process's job worker once (lib/process-state.ts: in production, in the
 * copy of lib/ that scripts/server.ts loads, never in Next's bundle), unless LATCHKEY_JOBS=off.
 * A second call returns the first worker.
 */
export function startJobs(): Promise<JobWorker | null> {
  return moduleState('__latchkeyJobs', async () => {
    const e = env();
    if (e.LATCHKEY_JOBS === 'off') return null;
    const worker = await startJobWorker({
      connectionString: e.DATABASE_URL,
      auditStreamIntervalMs: e.AUDIT_STREAM_INTERVAL_MS,
    });
    logger.info('job worker started (webhooks, e-mail, expiry scan, audit streaming)');
    return worker;
  });
}

/** stopJobs stops the worker startJobs started, letting running jobs finish (10 s at most). */
export async function stopJobs(): Promise<void> {
  const worker = await moduleState<Promise<JobWorker | null>>('__latchkeyJobs', async () => null);
  await worker?.stop();
}
