import Link from 'next/link';
import { paths } from '@/lib/paths';

type Org = { slug: string; name: string };

/** OrgSwitcher lists the member's organizations; a plain list of links needs no client code. */
export function OrgSwitcher({ current, orgs }: { current: Org; orgs: Org[] }) {
  const others = orgs.filter((o) => o.slug !== current.slug);
  // With one organization there is nothing to switch to: a plain label, not a menu that opens onto nothing.
  if (others.length === 0) {
    return (
      <div className="rounded-md px-3 py-2 text-sm font-semibold text-gray-900">
        <span className="block text-xs font-normal text-gray-500">Organization</span>
        {current.name}
      </div>
    );
  }
  return (
    <details className="group relative">
      <summary className="cursor-pointer list-none rounded-md px-3 py-2 text-sm font-semibold text-gray-900 hover:bg-gray-100">
        <span className="block text-xs font-normal text-gray-500">Organization</span>
        {current.name}
      </summary>
      <ul className="mt-1 space-y-1 rounded-md bg-white p-1 shadow ring-1 ring-gray-200">
        {others.map((o) => (
          <li key={o.slug}>
            <Link href={paths.org(o.slug)} className="block rounded px-3 py-1.5 text-sm hover:bg-gray-100">
              {o.name}
            </Link>
          </li>
        ))}
      </ul>
    </details>
  );
}
