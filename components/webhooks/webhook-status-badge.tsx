import { Badge } from '@/components/ui/badge';

const DELIVERY_TONE = { PENDING: 'gray', RETRYING: 'yellow', SUCCEEDED: 'green', FAILED: 'red' } as const;

export function WebhookStatusBadge({ status }: { status: 'ENABLED' | 'DISABLED' }) {
  return <Badge tone={status === 'ENABLED' ? 'green' : 'red'}>{status === 'ENABLED' ? 'Enabled' : 'Disabled'}</Badge>;
}

export function DeliveryStatusBadge({ status }: { status: keyof typeof DELIVERY_TONE }) {
  const label = { PENDING: 'Pending', RETRYING: 'Retrying', SUCCEEDED: 'Delivered', FAILED: 'Failed' }[status];
  return <Badge tone={DELIVERY_TONE[status]}>{label}</Badge>;
}
