import Link from 'next/link';
import { paths } from '@/lib/paths';

export default function NotFound() {
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="text-center">
        <p className="text-sm font-semibold text-brand-700">404</p>
        <h1 className="mt-2 text-2xl font-bold">Page not found</h1>
        <p className="mt-2 text-sm text-gray-600">It does not exist, or your role does not allow you to see it.</p>
        <Link href={paths.home()} className="mt-6 inline-block text-sm font-semibold text-brand-700 hover:underline">
          Back to the console
        </Link>
      </div>
    </main>
  );
}
