import Link from 'next/link';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { paths } from '@/lib/paths';
import type { ExpiringCredentialDto } from '@/lib/service-accounts/schema';
import { EXPIRY_WARNING_DAYS } from '@/lib/service-accounts/schema';
import { formatDateTime } from './format';

const KIND_LABEL: Record<ExpiringCredentialDto['kind'], string> = {
  client_secret: 'Client secret',
  key_pair: 'Key pair',
  client_token_pair: 'Client token pair',
  federated_credential: 'Federated credential',
};

/** ExpiringCredentialsCard lists credentials that expire within the warning window, soonest first. */
export function ExpiringCredentialsCard({ orgSlug, items }: { orgSlug: string; items: ExpiringCredentialDto[] }) {
  return (
    <Card className="mt-6">
      <section aria-labelledby="expiring-heading">
        <h2 id="expiring-heading" className="flex items-center gap-2 text-base font-semibold">
          Credentials expiring within {EXPIRY_WARNING_DAYS} days{' '}
          {items.length ? <Badge tone="yellow">{items.length}</Badge> : null}
        </h2>
        {items.length === 0 ? (
          <p className="mt-2 text-sm text-gray-600">No credential expires in the next {EXPIRY_WARNING_DAYS} days.</p>
        ) : (
          <ul className="mt-3 divide-y divide-gray-100">
            {items.map((c) => (
              <li key={c.id} className="flex flex-wrap items-center justify-between gap-2 py-2 text-sm">
                <span>
                  <Link
                    href={paths.serviceAccount(orgSlug, c.serviceAccountId)}
                    className="font-medium text-brand-700 hover:underline"
                  >
                    {c.serviceAccountName}
                  </Link>
                  <span className="text-gray-600">
                    {' '}
                    · {KIND_LABEL[c.kind]} <span className="font-medium">{c.label}</span>
                  </span>
                </span>
                <Badge tone="yellow">Expires {formatDateTime(c.expiresAt)}</Badge>
              </li>
            ))}
          </ul>
        )}
      </section>
    </Card>
  );
}
