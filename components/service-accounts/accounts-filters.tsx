import { ACCOUNT_STATUSES, PLATFORMS } from '@/lib/service-accounts/schema';

/** The status filter's value for "every status, revoked accounts included" (the default hides revoked ones). */
export const ANY_STATUS = 'ANY';

/** AccountsFilters is a plain GET form: search and filters live in the URL, so views can be shared. */
export function AccountsFilters({
  action,
  q,
  status,
  platform,
}: {
  action: string;
  q?: string;
  status?: string;
  platform?: string;
}) {
  const select = 'rounded-md px-3 py-2 text-sm ring-1 ring-gray-300';
  return (
    <form action={action} method="get" role="search" className="mb-4 flex flex-wrap items-end gap-3">
      <label className="text-sm">
        <span className="block font-medium">Search</span>
        <input type="search" name="q" defaultValue={q} placeholder="Name" className={select} />
      </label>
      <label className="text-sm">
        <span className="block font-medium">Status</span>
        <select name="status" defaultValue={status ?? ''} className={select}>
          <option value="">Active and suspended</option>
          <option value={ANY_STATUS}>Any status (with revoked)</option>
          {ACCOUNT_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s[0]}
              {s.slice(1).toLowerCase()}
            </option>
          ))}
        </select>
      </label>
      <label className="text-sm">
        <span className="block font-medium">Platform</span>
        <select name="platform" defaultValue={platform ?? ''} className={select}>
          <option value="">Any platform</option>
          {PLATFORMS.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
      </label>
      <button
        type="submit"
        className="rounded-md bg-white px-3.5 py-2 text-sm font-semibold ring-1 ring-gray-300 hover:bg-gray-50"
      >
        Apply
      </button>
    </form>
  );
}
