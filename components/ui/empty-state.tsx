import type { ReactNode } from 'react';

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="rounded-lg border-2 border-dashed border-gray-200 px-6 py-12 text-center">
      <h2 className="text-sm font-semibold text-gray-900">{title}</h2>
      {children ? <div className="mt-2 text-sm text-gray-600">{children}</div> : null}
    </div>
  );
}
