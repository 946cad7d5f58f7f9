'use client';

import { useEffect, useId, useRef, type ReactNode } from 'react';
import { Button } from './button';

/** What a confirmation asks: a title naming the object unambiguously, what happens, and the button's words. */
export type ConfirmSpec = { title: string; body: ReactNode; confirmLabel: string; tone?: 'danger' | 'primary' };

/**
 * ConfirmDialog is the one pattern for destructive actions (instead of the browser's
 * `confirm()`): a modal `<dialog>` (the rest of the page is inert, so focus stays inside),
 * Cancel focused first, Escape cancels, and focus goes back to the control that opened it.
 */
export function ConfirmDialog({
  spec,
  onConfirm,
  onCancel,
}: {
  spec: ConfirmSpec;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => {
      if (dialog?.open) dialog.close();
      opener?.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
      className="m-auto w-full max-w-lg rounded-lg bg-white p-6 shadow-xl backdrop:bg-gray-900/50 dark:backdrop:bg-black/70"
    >
      <h2 id={titleId} className="text-lg font-semibold text-gray-900">
        {spec.title}
      </h2>
      <div className="mt-2 text-sm text-gray-700">{spec.body}</div>
      <div className="mt-5 flex justify-end gap-2">
        <Button variant="secondary" onClick={onCancel} autoFocus>
          Cancel
        </Button>
        <Button variant={spec.tone === 'primary' ? 'primary' : 'danger'} onClick={onConfirm}>
          {spec.confirmLabel}
        </Button>
      </div>
    </dialog>
  );
}
