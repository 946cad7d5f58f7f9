import Link from 'next/link';
import { Card } from '@/components/ui/card';
import { CopyButton } from '@/components/ui/copy-button';
import type { GettingStarted } from '@/lib/organizations/getting-started';
import { paths } from '@/lib/paths';

/**
 * GettingStartedCard is the overview's guide for a new organization: three steps to a first
 * token, each marked done as it is, with links for those who may take them and a curl to copy
 * for the last one. The overview stops showing it once a token has been issued.
 */
export function GettingStartedCard({
  orgSlug,
  state,
  tokenUrl,
  canWrite,
}: {
  orgSlug: string;
  state: GettingStarted;
  tokenUrl: string;
  canWrite: boolean;
}) {
  const { account, secretKeyId } = state;
  const curl = `curl -u '${secretKeyId ?? '<key id>'}:<secret>' -d grant_type=client_credentials ${tokenUrl}`;
  const steps = [
    {
      done: account !== null,
      title: 'Create a service account',
      body: 'One per backend or job that needs tokens.',
      link: canWrite && !account ? { href: paths.newServiceAccount(orgSlug), label: 'New service account' } : null,
    },
    {
      done: secretKeyId !== null,
      title: 'Create its first client secret',
      body: account ? (
        <>
          On <strong>{account.name}</strong>; the secret is shown once, so save it then.
        </>
      ) : (
        'On the service account’s page; the secret is shown once, so save it then.'
      ),
      link:
        canWrite && account && !secretKeyId
          ? { href: `${paths.serviceAccount(orgSlug, account.id)}#secrets`, label: 'Create a secret' }
          : null,
    },
    { done: false, title: 'Get a token', body: 'Call the token endpoint with the key id and the secret:', link: null },
  ];
  return (
    <section aria-labelledby="getting-started-heading">
      <Card className="mt-6 space-y-4">
        <h2 id="getting-started-heading" className="text-lg font-semibold">
          Get started
        </h2>
        <ol className="space-y-3">
          {steps.map((step, i) => (
            <li key={step.title} className="flex gap-3">
              <span
                aria-hidden="true"
                className={`flex h-6 w-6 shrink-0 items-center justify-center rounded-full text-xs font-semibold ${
                  step.done ? 'bg-green-100 text-green-800' : 'bg-gray-100 text-gray-700'
                }`}
              >
                {step.done ? '✓' : i + 1}
              </span>
              <div className="min-w-0 space-y-1">
                <p className="font-medium">
                  {step.title}
                  {step.done ? <span className="sr-only"> (done)</span> : null}
                </p>
                <p className="text-sm text-gray-600">{step.body}</p>
                {step.link ? (
                  <Link href={step.link.href} className="text-sm font-semibold text-brand-700 hover:underline">
                    {step.link.label}
                  </Link>
                ) : null}
              </div>
            </li>
          ))}
        </ol>
        <div className="flex flex-wrap items-start gap-2">
          <pre
            aria-label="Token request"
            className="min-w-0 flex-1 overflow-x-auto rounded-md bg-gray-900 p-3 text-xs text-gray-100"
          >
            <code>{curl}</code>
          </pre>
          <CopyButton value={curl} label="the token request" />
        </div>
        <p className="text-xs text-gray-500">This guide disappears once the organization’s first token is issued.</p>
      </Card>
    </section>
  );
}
