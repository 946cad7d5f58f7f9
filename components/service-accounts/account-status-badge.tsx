import { Badge } from '@/components/ui/badge';

export function AccountStatusBadge({ status }: { status: 'ACTIVE' | 'SUSPENDED' | 'REVOKED' }) {
  if (status === 'ACTIVE') return <Badge tone="green">Active</Badge>;
  if (status === 'SUSPENDED') return <Badge tone="yellow">Suspended</Badge>;
  return <Badge tone="red">Revoked</Badge>;
}
