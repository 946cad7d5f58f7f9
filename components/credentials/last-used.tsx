import { formatDateTime } from './format';

/** LastUsed shows when and from which address a credential was last used. */
export function LastUsed({ at, ip }: { at: string | null; ip: string | null }) {
  return (
    <>
      {formatDateTime(at)}
      {ip ? <span className="block text-xs text-gray-500">from {ip}</span> : null}
    </>
  );
}
