'use client';

import { Button } from '@/components/ui/button';

export default function ConsoleError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="rounded-lg bg-white p-6 shadow-sm ring-1 ring-red-200">
      <h1 className="text-lg font-semibold text-red-800">Something went wrong</h1>
      <p className="mt-1 text-sm text-gray-600">
        The page could not be shown.{error.digest ? ` Reference: ${error.digest}` : ''}
      </p>
      <Button className="mt-4" variant="secondary" onClick={reset}>
        Try again
      </Button>
    </div>
  );
}
