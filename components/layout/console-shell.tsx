'use client';

import { usePathname } from 'next/navigation';
import { useEffect, useId, useState, type ReactNode } from 'react';
import { cn } from '@/components/ui/cn';

/**
 * ConsoleShell lays out the sidebar and the page. From the `md` breakpoint up the sidebar is
 * always shown beside the page; on a phone it collapses behind a "Menu" button in a top bar, so
 * the page gets the whole width (a 16 rem sidebar is 60% of a 390 px screen), and it closes
 * again after each navigation.
 */
export function ConsoleShell({ sidebar, children }: { sidebar: ReactNode; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const pathname = usePathname();
  const navId = useId();
  useEffect(() => setOpen(false), [pathname]);
  return (
    <div className="flex min-h-screen flex-col md:flex-row">
      <div className="flex items-center justify-between border-b border-gray-200 bg-white px-4 py-2 md:hidden">
        <p className="text-lg font-bold tracking-tight text-brand-700">Latchkey</p>
        <button
          type="button"
          aria-expanded={open}
          aria-controls={navId}
          onClick={() => setOpen((v) => !v)}
          className="rounded-md px-3 py-2 text-sm font-semibold ring-1 ring-gray-300 hover:bg-gray-50"
        >
          {open ? 'Close menu' : 'Menu'}
        </button>
      </div>
      <aside
        id={navId}
        className={cn(
          'w-full shrink-0 flex-col border-b border-gray-200 bg-white px-3 py-4 md:flex md:w-64 md:border-r md:border-b-0',
          open ? 'flex' : 'hidden',
        )}
      >
        {sidebar}
      </aside>
      <main className="min-w-0 flex-1 px-4 py-4 md:px-8 md:py-6">{children}</main>
    </div>
  );
}
