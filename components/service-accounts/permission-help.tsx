import Link from 'next/link';
import { paths } from '@/lib/paths';

/**
 * The three permission ideas of a service account, said the same way wherever they are set or
 * shown (the account form and the account page); /docs/api#permissions and the README's
 * "Service account permissions" say them at length.
 */
export const PERMISSION_HELP = {
  isAdmin: 'May call the management API (/api/v1). Only admin accounts may hold management scopes.',
  scopes:
    'What its tokens may do. Management scopes (manage:…, read:…) choose which /api/v1 operations an admin account may call; product scopes are passed on to your APIs in the token.',
  roles:
    'Which projects its tokens may be bound to: an organization role reaches every project, a project role one. A token bound to a project carries project_id (and environment_id) for your APIs to check; roles give no access to the management API.',
} as const;

/** PermissionsHelpLink points to the longer explanation. */
export function PermissionsHelpLink() {
  return (
    <Link href={paths.permissionsHelp()} className="text-brand-700 hover:underline">
      How admin, scopes and roles differ
    </Link>
  );
}
