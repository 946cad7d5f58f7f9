import type { ReactNode } from 'react';
import { cn } from './cn';

/** Alert shows a form-level message; role="alert" makes screen readers announce it. */
export function Alert({ tone = 'error', children }: { tone?: 'error' | 'success' | 'info'; children: ReactNode }) {
  return (
    <div
      role={tone === 'error' ? 'alert' : 'status'}
      className={cn(
        'rounded-md px-3 py-2 text-sm',
        tone === 'error' && 'bg-red-50 text-red-800 ring-1 ring-red-200',
        tone === 'success' && 'bg-green-50 text-green-800 ring-1 ring-green-200',
        tone === 'info' && 'bg-brand-50 text-brand-700 ring-1 ring-brand-100',
      )}
    >
      {children}
    </div>
  );
}
