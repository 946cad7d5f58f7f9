import type { ClaimCondition, FederatedAlgorithm, TemplateId } from './schema';

/**
 * Templates fill in a federated credential correctly for the common workload platforms. They
 * are pure (the console runs them in the browser to fill its form, tests run them on the
 * server); the result is an ordinary create body that the API validates like any other.
 */

export type TemplateField = {
  name: string;
  label: string;
  placeholder?: string;
  hint?: string;
  defaultValue?: string;
  /** A regular expression the value must match, and what to say when it does not. */
  pattern: RegExp;
  problem: string;
  /** A choice among fixed values (the console shows a select); `pattern` must accept exactly these. */
  options?: ReadonlyArray<{ value: string; label: string }>;
};

/** What a template produces: the body of POST …/federated-credentials (without name and expiry). */
export type TemplateDraft = {
  template: TemplateId;
  issuer: string;
  keySource: 'DISCOVERY' | 'JWKS_URI' | 'INLINE_JWKS';
  audience: string;
  subjectMatch: 'EXACT' | 'GLOB';
  subject: string;
  claimConditions: ClaimCondition[];
  allowedAlgorithms: FederatedAlgorithm[];
  maxTokenAgeSeconds: number;
};

export type Template = {
  id: TemplateId;
  label: string;
  description: string;
  fields: TemplateField[];
  build(values: Record<string, string>, audience: string): TemplateDraft;
};

export type TemplateResult = { ok: true; draft: TemplateDraft } | { ok: false; fieldErrors: Record<string, string[]> };

export const GITHUB_ACTIONS_ISSUER = 'https://token.actions.githubusercontent.com';

const NUMERIC_ID = /^[1-9][0-9]{0,19}$/;
const GITHUB_NAME = /^[A-Za-z0-9_.-]{1,100}$/;
const HTTPS_URL = /^https:\/\/[^\s?#]+$|^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?(\/[^\s?#]*)?$/;
/** A Kubernetes namespace or service account name (DNS-1123 label / subdomain). */
const K8S_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const SAFE_TEXT = /^[^\s\u0000-\u001f\u007f]{1,300}$/;
/** A SPIFFE trust domain: lowercase letters, digits, dots, dashes and underscores. */
const TRUST_DOMAIN = /^[a-z0-9._-]{1,255}$/;
const SPIFFE_PATH = /^[A-Za-z0-9._\-*]+(\/[A-Za-z0-9._\-*]+)*$/;

const hasGlob = (s: string) => s.includes('*');

export const TEMPLATE_LIST: readonly Template[] = [
  {
    id: 'github_actions',
    label: 'GitHub Actions',
    description:
      'A workflow job with `permissions: id-token: write`. GitHub names the owner and repository by their immutable ids in the subject (`repo:OWNER@ID/REPO@ID:…`) for repositories created or renamed since 15 July 2026 and for those opted in; older repositories still send names only (`repo:OWNER/REPO:…`). Either way the repository_id / repository_owner_id conditions make sure a deleted and re-created repository of the same name cannot take over.',
    fields: [
      {
        name: 'owner',
        label: 'Owner (organization or user)',
        placeholder: 'octo-org',
        pattern: GITHUB_NAME,
        problem: 'A GitHub owner name.',
      },
      {
        name: 'ownerId',
        label: 'Owner id (repository_owner_id)',
        placeholder: '9919',
        hint: 'gh api orgs/OWNER --jq .id',
        pattern: NUMERIC_ID,
        problem: 'The numeric owner id.',
      },
      {
        name: 'repo',
        label: 'Repository',
        placeholder: 'octo-repo',
        pattern: GITHUB_NAME,
        problem: 'A repository name.',
      },
      {
        name: 'repoId',
        label: 'Repository id (repository_id)',
        placeholder: '1296269',
        hint: 'gh api repos/OWNER/REPO --jq .id',
        pattern: NUMERIC_ID,
        problem: 'The numeric repository id.',
      },
      {
        name: 'subjectFormat',
        label: 'Subject format',
        defaultValue: 'immutable',
        hint: 'What the repository’s tokens carry in sub: decode one in the workflow to check.',
        pattern: /^(immutable|names)$/,
        problem: 'Choose immutable ids or names.',
        options: [
          { value: 'immutable', label: 'Immutable ids (repo:OWNER@ID/REPO@ID:…)' },
          { value: 'names', label: 'Names only (repo:OWNER/REPO:…, older repositories)' },
        ],
      },
      {
        name: 'context',
        label: 'Branch, environment or event',
        defaultValue: 'ref:refs/heads/main',
        hint: 'ref:refs/heads/main, environment:production, pull_request; * for any.',
        pattern: SAFE_TEXT,
        problem: 'The rest of the subject, without spaces.',
      },
    ],
    build: (v, audience) => ({
      template: 'github_actions',
      issuer: GITHUB_ACTIONS_ISSUER,
      keySource: 'DISCOVERY',
      audience,
      subjectMatch: hasGlob(v.context ?? '') ? 'GLOB' : 'EXACT',
      subject:
        v.subjectFormat === 'names'
          ? `repo:${v.owner}/${v.repo}:${v.context}`
          : `repo:${v.owner}@${v.ownerId}/${v.repo}@${v.repoId}:${v.context}`,
      claimConditions: [
        { claim: 'repository_id', op: 'equals', value: v.repoId ?? '' },
        { claim: 'repository_owner_id', op: 'equals', value: v.ownerId ?? '' },
      ],
      allowedAlgorithms: ['RS256'],
      maxTokenAgeSeconds: 900,
    }),
  },
  {
    id: 'gitlab_ci',
    label: 'GitLab CI',
    description:
      'A job with `id_tokens:` (aud set to the audience below). The project_id condition pins the project itself, whatever its path becomes.',
    fields: [
      {
        name: 'instance',
        label: 'GitLab URL (issuer)',
        defaultValue: 'https://gitlab.com',
        pattern: HTTPS_URL,
        problem: 'The https URL of the GitLab instance.',
      },
      {
        name: 'projectPath',
        label: 'Project path',
        placeholder: 'my-group/my-project',
        pattern: /^[A-Za-z0-9_.\-/]{1,255}$/,
        problem: 'group/project.',
      },
      {
        name: 'projectId',
        label: 'Project id',
        placeholder: '42',
        pattern: NUMERIC_ID,
        problem: 'The numeric project id.',
      },
      {
        name: 'refType',
        label: 'Ref type',
        defaultValue: 'branch',
        pattern: /^(branch|tag)$/,
        problem: 'branch or tag.',
      },
      {
        name: 'ref',
        label: 'Ref',
        defaultValue: 'main',
        hint: '* for any.',
        pattern: SAFE_TEXT,
        problem: 'A branch or tag name.',
      },
    ],
    build: (v, audience) => ({
      template: 'gitlab_ci',
      issuer: (v.instance ?? '').replace(/\/+$/, ''),
      keySource: 'DISCOVERY',
      audience,
      subjectMatch: hasGlob(v.ref ?? '') ? 'GLOB' : 'EXACT',
      subject: `project_path:${v.projectPath}:ref_type:${v.refType}:ref:${v.ref}`,
      claimConditions: [{ claim: 'project_id', op: 'equals', value: v.projectId ?? '' }],
      allowedAlgorithms: ['RS256'],
      maxTokenAgeSeconds: 900,
    }),
  },
  {
    id: 'kubernetes',
    label: 'Kubernetes',
    description:
      "A pod with a projected service account token whose audience is the audience below. Keys from the cluster's discovery document, or paste `kubectl get --raw /openid/v1/jwks` for a cluster Latchkey cannot reach.",
    fields: [
      {
        name: 'issuer',
        label: 'Cluster issuer',
        placeholder: 'https://kubernetes.default.svc.cluster.local',
        hint: 'kubectl get --raw /.well-known/openid-configuration | jq -r .issuer',
        pattern: HTTPS_URL,
        problem: 'The https issuer URL of the cluster.',
      },
      {
        name: 'namespace',
        label: 'Namespace',
        placeholder: 'payments',
        pattern: K8S_NAME,
        problem: 'A namespace name.',
      },
      {
        name: 'serviceAccount',
        label: 'Service account',
        placeholder: 'api',
        pattern: K8S_NAME,
        problem: 'A service account name.',
      },
    ],
    build: (v, audience) => ({
      template: 'kubernetes',
      issuer: v.issuer ?? '',
      keySource: 'DISCOVERY',
      audience,
      subjectMatch: 'EXACT',
      subject: `system:serviceaccount:${v.namespace}:${v.serviceAccount}`,
      claimConditions: [
        { claim: 'kubernetes.io/namespace', op: 'equals', value: v.namespace ?? '' },
        { claim: 'kubernetes.io/serviceaccount/name', op: 'equals', value: v.serviceAccount ?? '' },
      ],
      allowedAlgorithms: ['RS256', 'ES256'],
      maxTokenAgeSeconds: 3600,
    }),
  },
  {
    id: 'spiffe',
    label: 'SPIFFE JWT-SVID',
    description:
      "A workload's JWT-SVID (audience below). The issuer is SPIRE's `jwt_issuer`; keys from its OIDC discovery provider, or paste the trust bundle's JWKS.",
    fields: [
      {
        name: 'issuer',
        label: 'Issuer (SPIRE jwt_issuer)',
        placeholder: 'https://oidc.spire.example.org',
        pattern: HTTPS_URL,
        problem: 'The https issuer URL.',
      },
      {
        name: 'trustDomain',
        label: 'Trust domain',
        placeholder: 'example.org',
        pattern: TRUST_DOMAIN,
        problem: 'A trust domain (lowercase).',
      },
      {
        name: 'path',
        label: 'Workload path',
        placeholder: 'ns/payments/sa/api',
        hint: 'The SPIFFE ID after the trust domain; * for any segment text.',
        pattern: SPIFFE_PATH,
        problem: 'Path segments separated by /.',
      },
    ],
    build: (v, audience) => ({
      template: 'spiffe',
      issuer: v.issuer ?? '',
      keySource: 'DISCOVERY',
      audience,
      subjectMatch: hasGlob(v.path ?? '') ? 'GLOB' : 'EXACT',
      subject: `spiffe://${v.trustDomain}/${v.path}`,
      claimConditions: [],
      allowedAlgorithms: ['ES256', 'RS256'],
      maxTokenAgeSeconds: 600,
    }),
  },
  {
    id: 'oidc',
    label: 'Generic OIDC issuer',
    description: 'Any OpenID Connect issuer: exact issuer, audience and subject; add claim conditions as needed.',
    fields: [
      {
        name: 'issuer',
        label: 'Issuer',
        placeholder: 'https://issuer.example.com',
        pattern: HTTPS_URL,
        problem: 'The https issuer URL.',
      },
      {
        name: 'subject',
        label: 'Subject',
        placeholder: 'workload-42',
        pattern: SAFE_TEXT,
        problem: 'The exact subject.',
      },
    ],
    build: (v, audience) => ({
      template: 'oidc',
      issuer: v.issuer ?? '',
      keySource: 'DISCOVERY',
      audience,
      subjectMatch: hasGlob(v.subject ?? '') ? 'GLOB' : 'EXACT',
      subject: v.subject ?? '',
      claimConditions: [],
      allowedAlgorithms: ['RS256', 'ES256'],
      maxTokenAgeSeconds: 3600,
    }),
  },
];

export function templateById(id: string): Template | undefined {
  return TEMPLATE_LIST.find((t) => t.id === id);
}

/**
 * applyTemplate checks a template's field values (each against its pattern) and builds the
 * draft policy, with `audience` (by default Latchkey's issuer URL) as the audience.
 */
export function applyTemplate(id: TemplateId, values: Record<string, string>, audience: string): TemplateResult {
  const template = templateById(id);
  if (!template) return { ok: false, fieldErrors: { template: ['Unknown template.'] } };
  const fieldErrors: Record<string, string[]> = {};
  const filled: Record<string, string> = {};
  for (const field of template.fields) {
    const value = (values[field.name] ?? field.defaultValue ?? '').trim();
    if (!field.pattern.test(value)) fieldErrors[field.name] = [field.problem];
    filled[field.name] = value;
  }
  if (Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors };
  return { ok: true, draft: template.build(filled, audience) };
}
