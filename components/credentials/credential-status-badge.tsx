import { Badge } from '@/components/ui/badge';

/** CredentialStatusBadge shows a credential's state: disabled, expired, expiring soon or enabled. */
export function CredentialStatusBadge({
  status,
  expired,
  expiringSoon,
}: {
  status: 'ENABLED' | 'DISABLED';
  expired: boolean;
  expiringSoon: boolean;
}) {
  if (status === 'DISABLED') return <Badge tone="gray">Disabled</Badge>;
  if (expired) return <Badge tone="red">Expired</Badge>;
  if (expiringSoon) return <Badge tone="yellow">Expires soon</Badge>;
  return <Badge tone="green">Enabled</Badge>;
}
