'use client';

import { useState } from 'react';
import { useFormAction } from '@/components/forms/use-form-action';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Table, Td } from '@/components/ui/table';
import {
  FEDERATED_ALGORITHMS,
  DEFAULT_FEDERATED_ALGORITHMS,
  type FederatedCredentialDto,
  type FederatedTestResultDto,
  type TemplateId,
} from '@/lib/federation/schema';
import { applyTemplate, TEMPLATE_LIST, templateById } from '@/lib/federation/templates';
import type { CredentialActivity } from '@/lib/service-accounts/activity';
import { CredentialLifecycleCells, EnableDisableDelete } from './credential-row';
import { expiryHint } from './format';
import type { FormAction } from './types';

export type FederatedCredentialActions = {
  create: FormAction<{ id: string }>;
  setStatus: FormAction<void>;
  remove: FormAction<void>;
  test: FormAction<FederatedTestResultDto>;
};

type Policy = {
  name: string;
  template: TemplateId | '';
  issuer: string;
  keySource: 'DISCOVERY' | 'JWKS_URI' | 'INLINE_JWKS';
  jwksUri: string;
  inlineJwks: string;
  audience: string;
  subjectMatch: 'EXACT' | 'GLOB';
  subject: string;
  claimConditions: string;
  allowedAlgorithms: string[];
  maxTokenAgeSeconds: string;
};

const inputClass = 'block w-full rounded-md px-3 py-2 text-sm ring-1 ring-gray-300';

function emptyPolicy(audience: string): Policy {
  return {
    name: '',
    template: '',
    issuer: '',
    keySource: 'DISCOVERY',
    jwksUri: '',
    inlineJwks: '',
    audience,
    subjectMatch: 'EXACT',
    subject: '',
    claimConditions: '[]',
    allowedAlgorithms: [...DEFAULT_FEDERATED_ALGORITHMS],
    maxTokenAgeSeconds: '3600',
  };
}

function ErrorText({ id, errors }: { id: string; errors?: string[] }) {
  return (
    <p id={id} aria-live="polite" className="text-xs text-red-600">
      {errors?.join(' ')}
    </p>
  );
}

/**
 * FederatedCredentialsPanel lists an account's federated credentials (trust policies for an
 * external issuer's workload tokens) and, for writers, creates one, filled in from a template
 * (GitHub Actions, GitLab CI, Kubernetes, SPIFFE, generic OIDC) and editable before saving;
 * enables, disables and deletes. The dry-run tester runs a pasted token through every policy
 * and shows which one accepts it and which check fails; nothing is issued, and the token is
 * cleared from the form once tested.
 */
export function FederatedCredentialsPanel({
  orgSlug,
  accountId,
  credentials,
  canWrite,
  defaultAudience,
  tokenUrl,
  maxDays,
  actions,
  activity,
}: {
  orgSlug: string;
  accountId: string;
  credentials: FederatedCredentialDto[];
  canWrite: boolean;
  defaultAudience: string;
  tokenUrl: string;
  maxDays: number;
  actions: FederatedCredentialActions;
  /** Each credential's last 7 days, by id (an activity column when given). */
  activity?: Record<string, CredentialActivity>;
}) {
  const [policy, setPolicy] = useState<Policy>(() => emptyPolicy(defaultAudience));
  const [templateId, setTemplateId] = useState<TemplateId>('github_actions');
  const [templateValues, setTemplateValues] = useState<Record<string, string>>({});
  const [templateErrors, setTemplateErrors] = useState<Record<string, string[]>>({});
  const create = useFormAction(
    async (prev: Awaited<ReturnType<typeof actions.create>> | null, fd: FormData) => {
      const result = await actions.create(prev, fd);
      if (result.ok) setPolicy(emptyPolicy(defaultAudience));
      return result;
    },
    { resetOnSuccess: true },
  );
  const tester = useFormAction(actions.test, { resetOnSuccess: true });
  const template = templateById(templateId);
  const set = <K extends keyof Policy>(key: K, value: Policy[K]) => setPolicy((p) => ({ ...p, [key]: value }));
  const errors = create.fieldErrors;
  const base = { orgSlug, accountId };

  function fillFromTemplate() {
    const built = applyTemplate(templateId, templateValues, policy.audience || defaultAudience);
    if (!built.ok) {
      setTemplateErrors(built.fieldErrors);
      return;
    }
    setTemplateErrors({});
    const d = built.draft;
    setPolicy((p) => ({
      ...p,
      name: p.name || template?.label || '',
      template: d.template,
      issuer: d.issuer,
      keySource: d.keySource,
      audience: d.audience,
      subjectMatch: d.subjectMatch,
      subject: d.subject,
      claimConditions: JSON.stringify(d.claimConditions, null, 2),
      allowedAlgorithms: d.allowedAlgorithms,
      maxTokenAgeSeconds: String(d.maxTokenAgeSeconds),
    }));
  }

  const result = tester.state?.ok ? tester.state.data : null;
  const matchedName = result?.matched ? result.results.find((r) => r.credentialId === result.matched)?.name : null;

  return (
    <section id="federated" aria-labelledby="federated-heading" className="scroll-mt-4 space-y-3">
      <h2 id="federated-heading" className="text-lg font-semibold">
        Federated credentials
      </h2>
      <p className="text-sm text-gray-600">
        No stored secret: a workload (a CI job, a pod) sends its platform&apos;s own token to <code>{tokenUrl}</code> as{' '}
        <code>client_assertion</code> with <code>client_id</code> set to the credential id below, and gets a token of
        this account if the token passes the policy.
      </p>
      {credentials.length === 0 ? (
        <p className="text-sm text-gray-500">No federated credentials yet.</p>
      ) : (
        <Table
          caption="Federated credentials"
          columns={[
            'Name',
            'Client id',
            'Issuer',
            'Subject',
            'Status',
            'Expires',
            'Last used',
            ...(activity ? ['Last 7 days'] : []),
            ...(canWrite ? ['Actions'] : []),
          ]}
        >
          {credentials.map((c) => (
            <tr key={c.id}>
              <Td className="font-medium">
                {c.name}
                {c.template ? (
                  <span className="ml-2">
                    <Badge tone="blue">{templateById(c.template)?.label ?? c.template}</Badge>
                  </span>
                ) : null}
              </Td>
              <Td>
                <code className="text-xs">{c.id}</code>
              </Td>
              <Td>
                <code className="break-all text-xs">{c.issuer}</code>
              </Td>
              <Td>
                <code className="break-all text-xs">
                  {c.subjectMatch === 'GLOB' ? 'glob ' : ''}
                  {c.subject}
                </code>
                {c.claimConditions.length > 0 ? (
                  <span className="block text-xs text-gray-500">
                    + {c.claimConditions.map((k) => k.claim).join(', ')}
                  </span>
                ) : null}
              </Td>
              <CredentialLifecycleCells credential={c} activity={activity ? { of: activity[c.id] } : undefined} />
              {canWrite ? (
                <Td>
                  <div className="flex flex-wrap gap-2">
                    <EnableDisableDelete
                      actions={actions}
                      fields={{ ...base, credentialId: c.id }}
                      status={c.status}
                      credential={{ kind: 'federated credential', name: c.name, id: c.id, createdAt: c.createdAt }}
                      consequence="Workloads presenting tokens of this issuer stop getting tokens."
                    />
                  </div>
                </Td>
              ) : null}
            </tr>
          ))}
        </Table>
      )}
      {create.state?.ok ? (
        <Alert tone="success">Federated credential created: its client id is {create.state.data.id}.</Alert>
      ) : null}

      {canWrite ? (
        <form
          ref={create.formRef}
          onSubmit={create.onSubmit}
          aria-label="Create federated credential"
          className="space-y-3 rounded-lg bg-white p-4 ring-1 ring-gray-200"
          noValidate
        >
          <h3 className="text-sm font-semibold">Add a federated credential</h3>
          <input type="hidden" name="orgSlug" value={orgSlug} />
          <input type="hidden" name="accountId" value={accountId} />
          <input type="hidden" name="template" value={policy.template} />
          <fieldset className="space-y-3 rounded-md bg-gray-50 p-3">
            <legend className="text-sm font-medium">Start from a template</legend>
            <div className="space-y-1">
              <label htmlFor="fc-template" className="block text-sm font-medium text-gray-900">
                Template
              </label>
              <select
                id="fc-template"
                value={templateId}
                onChange={(e) => {
                  setTemplateId(e.target.value as TemplateId);
                  setTemplateValues({});
                  setTemplateErrors({});
                }}
                className={inputClass}
              >
                {TEMPLATE_LIST.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.label}
                  </option>
                ))}
              </select>
              <p className="text-xs text-gray-600">{template?.description}</p>
            </div>
            <div className="grid gap-3 sm:grid-cols-2">
              {template?.fields.map((f) =>
                f.options ? (
                  <div key={`${templateId}-${f.name}`} className="space-y-1">
                    <label htmlFor={`fc-tpl-${f.name}`} className="block text-sm font-medium text-gray-900">
                      {f.label}
                    </label>
                    <select
                      id={`fc-tpl-${f.name}`}
                      name={`tpl-${f.name}`}
                      defaultValue={f.defaultValue}
                      aria-describedby={f.hint ? `fc-tpl-${f.name}-hint` : undefined}
                      onChange={(e) => {
                        const value = e.currentTarget.value;
                        setTemplateValues((v) => ({ ...v, [f.name]: value }));
                      }}
                      className={inputClass}
                    >
                      {f.options.map((o) => (
                        <option key={o.value} value={o.value}>
                          {o.label}
                        </option>
                      ))}
                    </select>
                    {f.hint ? (
                      <p id={`fc-tpl-${f.name}-hint`} className="text-xs text-gray-600">
                        {f.hint}
                      </p>
                    ) : null}
                  </div>
                ) : (
                  <Field
                    key={`${templateId}-${f.name}`}
                    name={`tpl-${f.name}`}
                    id={`fc-tpl-${f.name}`}
                    label={f.label}
                    placeholder={f.placeholder}
                    hint={f.hint}
                    defaultValue={f.defaultValue}
                    errors={templateErrors[f.name]}
                    onChange={(e) => {
                      const value = e.currentTarget.value;
                      setTemplateValues((v) => ({ ...v, [f.name]: value }));
                    }}
                  />
                ),
              )}
            </div>
            <Button variant="secondary" onClick={fillFromTemplate}>
              Fill in from template
            </Button>
          </fieldset>

          <div className="grid gap-3 sm:grid-cols-2">
            <Field
              name="name"
              id="fc-name"
              label="Credential name"
              required
              value={policy.name}
              onChange={(e) => set('name', e.currentTarget.value)}
              errors={errors.name}
            />
            <Field
              name="issuer"
              id="fc-issuer"
              label="Issuer (exact iss)"
              required
              value={policy.issuer}
              onChange={(e) => set('issuer', e.currentTarget.value)}
              errors={errors.issuer}
            />
            <div className="space-y-1">
              <label htmlFor="fc-key-source" className="block text-sm font-medium text-gray-900">
                Issuer keys from
              </label>
              <select
                id="fc-key-source"
                name="keySource"
                value={policy.keySource}
                onChange={(e) => set('keySource', e.target.value as Policy['keySource'])}
                aria-describedby="fc-key-source-error"
                className={inputClass}
              >
                <option value="DISCOVERY">OIDC discovery of the issuer</option>
                <option value="JWKS_URI">A JWKS URL</option>
                <option value="INLINE_JWKS">A pasted JWKS (air-gapped)</option>
              </select>
              <ErrorText id="fc-key-source-error" errors={errors.keySource} />
            </div>
            {policy.keySource === 'JWKS_URI' ? (
              <Field
                name="jwksUri"
                id="fc-jwks-uri"
                label="JWKS URL"
                value={policy.jwksUri}
                onChange={(e) => set('jwksUri', e.currentTarget.value)}
                errors={errors.jwksUri}
              />
            ) : null}
            <Field
              name="audience"
              id="fc-audience"
              label="Audience (exact aud)"
              required
              value={policy.audience}
              onChange={(e) => set('audience', e.currentTarget.value)}
              errors={errors.audience}
            />
            <div className="space-y-1">
              <label htmlFor="fc-subject-match" className="block text-sm font-medium text-gray-900">
                Subject match
              </label>
              <select
                id="fc-subject-match"
                name="subjectMatch"
                value={policy.subjectMatch}
                onChange={(e) => set('subjectMatch', e.target.value as Policy['subjectMatch'])}
                className={inputClass}
              >
                <option value="EXACT">Exact</option>
                <option value="GLOB">Glob (* matches any run)</option>
              </select>
            </div>
            <Field
              name="subject"
              id="fc-subject"
              label="Subject (sub)"
              required
              value={policy.subject}
              onChange={(e) => set('subject', e.currentTarget.value)}
              errors={errors.subject}
              className="sm:col-span-2"
            />
          </div>
          {policy.keySource === 'INLINE_JWKS' ? (
            <div className="space-y-1">
              <label htmlFor="fc-inline-jwks" className="block text-sm font-medium text-gray-900">
                JWKS (public keys)
              </label>
              <textarea
                id="fc-inline-jwks"
                name="inlineJwks"
                rows={5}
                value={policy.inlineJwks}
                onChange={(e) => set('inlineJwks', e.currentTarget.value)}
                aria-describedby="fc-inline-jwks-error"
                placeholder='{"keys": [...]}'
                className={`${inputClass} font-mono text-xs`}
              />
              <ErrorText id="fc-inline-jwks-error" errors={errors.inlineJwks} />
            </div>
          ) : null}
          <div className="space-y-1">
            <label htmlFor="fc-conditions" className="block text-sm font-medium text-gray-900">
              Claim conditions (JSON)
            </label>
            <textarea
              id="fc-conditions"
              name="claimConditions"
              rows={5}
              value={policy.claimConditions}
              onChange={(e) => set('claimConditions', e.currentTarget.value)}
              aria-describedby="fc-conditions-hint fc-conditions-error"
              className={`${inputClass} font-mono text-xs`}
            />
            <p id="fc-conditions-hint" className="text-xs text-gray-500">
              {'[{"claim": "repository_id", "op": "equals", "value": "…"}]; op: equals, one_of (values), glob.'}
            </p>
            <ErrorText id="fc-conditions-error" errors={errors.claimConditions} />
          </div>
          <fieldset className="space-y-1" aria-describedby="fc-algs-error">
            <legend className="text-sm font-medium text-gray-900">Allowed algorithms</legend>
            <div className="flex flex-wrap gap-3">
              {FEDERATED_ALGORITHMS.map((alg) => (
                <label key={alg} className="flex items-center gap-1 text-sm">
                  <input
                    type="checkbox"
                    name="allowedAlgorithms"
                    value={alg}
                    checked={policy.allowedAlgorithms.includes(alg)}
                    onChange={(e) =>
                      set(
                        'allowedAlgorithms',
                        e.currentTarget.checked
                          ? [...policy.allowedAlgorithms, alg]
                          : policy.allowedAlgorithms.filter((a) => a !== alg),
                      )
                    }
                  />
                  {alg}
                </label>
              ))}
            </div>
            <ErrorText id="fc-algs-error" errors={errors.allowedAlgorithms} />
          </fieldset>
          <div className="grid gap-3 sm:grid-cols-2">
            <Field
              name="maxTokenAgeSeconds"
              id="fc-max-age"
              label="Maximum token age (seconds)"
              inputMode="numeric"
              value={policy.maxTokenAgeSeconds}
              onChange={(e) => set('maxTokenAgeSeconds', e.currentTarget.value)}
              errors={errors.maxTokenAgeSeconds}
            />
            <Field
              name="expiresAt"
              id="fc-expires"
              label="Credential expires on (optional)"
              type="date"
              hint={expiryHint(maxDays)}
              errors={errors.expiresAt}
            />
          </div>
          {create.state && !create.state.ok ? <Alert>{create.state.message}</Alert> : null}
          <Button type="submit" disabled={create.pending}>
            {create.pending ? 'Creating…' : 'Create federated credential'}
          </Button>
        </form>
      ) : null}

      <form
        ref={tester.formRef}
        onSubmit={tester.onSubmit}
        aria-label="Dry-run tester"
        className="space-y-3 rounded-lg bg-white p-4 ring-1 ring-gray-200"
        noValidate
      >
        <h3 className="text-sm font-semibold">Dry-run tester</h3>
        <p className="text-xs text-gray-600">
          Paste a workload token to see which policy accepts it and which check fails. Nothing is issued or stored.
        </p>
        <input type="hidden" name="orgSlug" value={orgSlug} />
        <input type="hidden" name="accountId" value={accountId} />
        <div className="space-y-1">
          <label htmlFor="fc-test-token" className="block text-sm font-medium text-gray-900">
            Token to test
          </label>
          <textarea
            id="fc-test-token"
            name="token"
            rows={4}
            aria-describedby="fc-test-token-error"
            className={`${inputClass} font-mono text-xs`}
          />
          <ErrorText id="fc-test-token-error" errors={tester.fieldErrors.token} />
        </div>
        {tester.state && !tester.state.ok && !tester.state.fieldErrors ? <Alert>{tester.state.message}</Alert> : null}
        <Button type="submit" variant="secondary" disabled={tester.pending}>
          {tester.pending ? 'Testing…' : 'Test token'}
        </Button>
      </form>
      {result ? (
        <div
          role="region"
          aria-label="Dry-run result"
          className="space-y-2 rounded-lg bg-white p-4 ring-1 ring-gray-200"
        >
          <p role="status" className="text-sm font-medium">
            {result.matched
              ? `Accepted by ${matchedName ?? ''} (${result.matched}).`
              : 'No federated credential of this account accepts this token.'}
          </p>
          {result.claims ? (
            <p className="break-all text-xs text-gray-600">
              iss <code>{result.claims.iss ?? '—'}</code>, sub <code>{result.claims.sub ?? '—'}</code>
            </p>
          ) : null}
          {result.results.length === 0 ? <p className="text-sm text-gray-500">No policies to test.</p> : null}
          <ul className="space-y-2">
            {result.results.map((r) => (
              <li key={r.credentialId} className="text-sm">
                <span className="font-medium">{r.name}</span> <code className="text-xs">{r.credentialId}</code>:{' '}
                {r.accepted ? <Badge tone="green">Accepted</Badge> : <Badge tone="red">Refused: {r.reason}</Badge>}
                <ul className="ml-4 mt-1 list-none text-xs">
                  {r.checks.map((c, i) => (
                    <li key={`${c.check}-${i}`} className={c.ok ? 'text-gray-600' : 'text-red-700'}>
                      {c.ok ? '✓' : '✗'} <code>{c.check}</code>: {c.detail}
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
