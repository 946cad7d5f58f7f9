'use client';

import { useEffect, useRef, useState } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';

export type RevealItem = { label: string; value: string; multiline?: boolean };
export type RevealDownload = { label: string; filename: string; content: string; type: string };

/**
 * SecretRevealDialog shows freshly issued secret material exactly once. The values live only
 * in the parent's component state: closing the dialog calls `onClose`, which must drop them
 * (they are never put in the URL, storage or a query cache, so a reload cannot bring them back).
 * Escape does not close it: it asks first, since what it shows can never be shown again. Focus
 * stays inside while it is open (a modal dialog) and goes back to where it was when it closes.
 */
export function SecretRevealDialog({
  title,
  description,
  items,
  downloads,
  usage,
  onClose,
}: {
  title: string;
  description: string;
  items: RevealItem[];
  downloads: RevealDownload[];
  usage?: string;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const [leaving, setLeaving] = useState(false);

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => opener?.focus();
  }, []);

  async function copy(label: string, value: string) {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(label);
    } catch {
      setCopied(null);
    }
  }

  function download(d: RevealDownload) {
    const url = URL.createObjectURL(new Blob([d.content], { type: d.type }));
    const a = document.createElement('a');
    a.href = url;
    a.download = d.filename;
    document.body.append(a);
    a.click();
    a.remove();
    URL.revokeObjectURL(url);
  }

  return (
    <dialog
      ref={ref}
      aria-labelledby="reveal-title"
      onCancel={(e) => {
        e.preventDefault();
        setLeaving(true);
      }}
      className="m-auto w-full max-w-2xl rounded-lg bg-white p-6 shadow-xl backdrop:bg-gray-900/50 dark:backdrop:bg-black/70"
    >
      <h2 id="reveal-title" className="text-lg font-semibold text-gray-900">
        {title}
      </h2>
      <div className="mt-3">
        <Alert tone="info">{description} This is the only time it is shown: copy or download it now.</Alert>
      </div>
      <dl className="mt-4 space-y-3">
        {items.map((item) => (
          <div key={item.label}>
            <dt className="text-sm font-medium text-gray-900">{item.label}</dt>
            <dd className="mt-1 flex items-start gap-2">
              {item.multiline ? (
                <pre
                  aria-label={item.label}
                  className="max-h-48 flex-1 overflow-auto rounded-md bg-gray-50 p-2 font-mono text-xs ring-1 ring-gray-200"
                >
                  {item.value}
                </pre>
              ) : (
                <code
                  aria-label={item.label}
                  className="flex-1 break-all rounded-md bg-gray-50 px-2 py-1.5 font-mono text-xs ring-1 ring-gray-200"
                >
                  {item.value}
                </code>
              )}
              <Button
                variant="secondary"
                className="shrink-0 px-2.5 py-1 text-xs"
                onClick={() => copy(item.label, item.value)}
                aria-label={`Copy ${item.label}`}
              >
                {copied === item.label ? 'Copied' : 'Copy'}
              </Button>
            </dd>
          </div>
        ))}
      </dl>
      {usage ? (
        <div className="mt-4">
          <p className="text-sm font-medium text-gray-900">Usage</p>
          <pre className="mt-1 overflow-auto rounded-md bg-gray-900 p-3 font-mono text-xs text-gray-100">{usage}</pre>
        </div>
      ) : null}
      <div className="mt-6 flex flex-wrap justify-between gap-2">
        <div className="flex gap-2">
          {downloads.map((d) => (
            <Button key={d.filename} variant="secondary" onClick={() => download(d)}>
              {d.label}
            </Button>
          ))}
        </div>
        <Button onClick={onClose}>I have saved it, close</Button>
      </div>
      {leaving ? (
        <div
          role="alertdialog"
          aria-labelledby="reveal-leave"
          className="mt-4 rounded-md bg-amber-50 p-3 ring-1 ring-amber-200"
        >
          <p id="reveal-leave" className="text-sm font-medium text-amber-900">
            Close without saving? This is never shown again.
          </p>
          <div className="mt-2 flex gap-2">
            <Button variant="secondary" autoFocus onClick={() => setLeaving(false)}>
              Keep it open
            </Button>
            <Button variant="danger" onClick={onClose}>
              Close without saving
            </Button>
          </div>
        </div>
      ) : null}
      <p aria-live="polite" className="sr-only">
        {copied ? `${copied} copied to the clipboard` : ''}
      </p>
    </dialog>
  );
}
