'use client';

import { useState } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import type { ChainVerification } from '@/lib/audit/dto';

const REASONS: Record<string, string> = {
  hash_mismatch: 'its contents no longer match its hash (the event was altered)',
  prev_hash_mismatch: 'it does not point at the hash of the event before it (an earlier event was altered or replaced)',
  sequence_gap: 'it is missing (an event was deleted)',
};

type Line =
  | { type: 'progress'; checked: number; total: number }
  | ({ type: 'result' } & ChainVerification)
  | { type: 'error'; message: string };

type State =
  | { phase: 'idle' }
  | { phase: 'running'; checked: number; total: number }
  | { phase: 'done'; result: ChainVerification }
  | { phase: 'failed'; message: string };

/** readLines yields the NDJSON lines of a streamed response as they arrive. */
async function* readLines(body: ReadableStream<Uint8Array>): AsyncGenerator<Line> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let newline = buffer.indexOf('\n');
    while (newline >= 0) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      if (line) yield JSON.parse(line) as Line;
      newline = buffer.indexOf('\n');
    }
  }
}

/**
 * VerifyChainButton re-checks the organization's whole hash chain through the streamed
 * verification API (POST /api/v1/audit-events/verify, NDJSON), shows how far it is while it
 * runs, and says where the chain breaks.
 */
export function VerifyChainButton({ orgSlug, orgHeader }: { orgSlug: string; orgHeader: string }) {
  const [state, setState] = useState<State>({ phase: 'idle' });

  async function verify() {
    setState({ phase: 'running', checked: 0, total: 0 });
    try {
      const res = await fetch('/api/v1/audit-events/verify', {
        method: 'POST',
        headers: { accept: 'application/x-ndjson', [orgHeader]: orgSlug },
      });
      if (!res.ok || !res.body) {
        const problem = (await res.json().catch(() => null)) as { detail?: string } | null;
        setState({ phase: 'failed', message: problem?.detail ?? `The verification failed (HTTP ${res.status}).` });
        return;
      }
      for await (const line of readLines(res.body)) {
        if (line.type === 'progress') setState({ phase: 'running', checked: line.checked, total: line.total });
        else if (line.type === 'result') setState({ phase: 'done', result: line });
        else setState({ phase: 'failed', message: line.message });
      }
    } catch {
      setState({ phase: 'failed', message: 'The verification was interrupted (network error). Try again.' });
    }
  }

  const running = state.phase === 'running';
  const result = state.phase === 'done' ? state.result : null;
  return (
    <div className="space-y-2">
      <Button type="button" variant="secondary" disabled={running} onClick={() => void verify()}>
        {running ? 'Verifying…' : 'Verify chain'}
      </Button>
      {running && state.total > 0 ? (
        <div className="space-y-1">
          <progress className="w-full" max={state.total} value={state.checked} aria-label="Verification progress" />
          <p className="text-xs text-gray-600">
            {state.checked.toLocaleString('en')} of {state.total.toLocaleString('en')} events checked
          </p>
        </div>
      ) : null}
      {result?.intact ? (
        <Alert tone="success">
          Chain intact: {result.checked.toLocaleString('en')} events verified, none altered or missing.
        </Alert>
      ) : null}
      {result && !result.intact && result.first_broken_link ? (
        <Alert>
          Chain broken at event #{result.first_broken_link.seq}:{' '}
          {REASONS[result.first_broken_link.reason] ?? result.first_broken_link.reason}.{' '}
          {result.checked.toLocaleString('en')} events before it verified.
        </Alert>
      ) : null}
      {state.phase === 'failed' ? <Alert>{state.message}</Alert> : null}
    </div>
  );
}
