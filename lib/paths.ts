/** Every console link is built here, so a route change is one edit. */
export const paths = {
  home: () => '/',
  setup: () => '/setup',
  signIn: () => '/sign-in',
  org: (orgSlug: string) => `/orgs/${encodeURIComponent(orgSlug)}`,
  serviceAccounts: (orgSlug: string) => `/orgs/${encodeURIComponent(orgSlug)}/service-accounts`,
  oemCredentials: (orgSlug: string) => `/orgs/${encodeURIComponent(orgSlug)}/oem-credentials`,
  vehicles: (orgSlug: string) => `/orgs/${encodeURIComponent(orgSlug)}/vehicles`,
  audit: (orgSlug: string) => `/orgs/${encodeURIComponent(orgSlug)}/audit`,
  auditExport: (orgSlug: string) => `/orgs/${encodeURIComponent(orgSlug)}/audit/export`,
  members: (orgSlug: string) => `/orgs/${encodeURIComponent(orgSlug)}/members`,
  settings: (orgSlug: string) => `/orgs/${encodeURIComponent(orgSlug)}/settings`,
  account: (orgSlug: string) => `/orgs/${encodeURIComponent(orgSlug)}/account`,
  newServiceAccount: (orgSlug: string) => `/orgs/${encodeURIComponent(orgSlug)}/service-accounts/new`,
  serviceAccount: (orgSlug: string, accountId: string) =>
    `/orgs/${encodeURIComponent(orgSlug)}/service-accounts/${encodeURIComponent(accountId)}`,
  editServiceAccount: (orgSlug: string, accountId: string) =>
    `/orgs/${encodeURIComponent(orgSlug)}/service-accounts/${encodeURIComponent(accountId)}/edit`,
  serviceAccountSecrets: (orgSlug: string, accountId: string) =>
    `/orgs/${encodeURIComponent(orgSlug)}/service-accounts/${encodeURIComponent(accountId)}/secrets`,
  serviceAccountKeys: (orgSlug: string, accountId: string) =>
    `/orgs/${encodeURIComponent(orgSlug)}/service-accounts/${encodeURIComponent(accountId)}/keys`,
  serviceAccountTokens: (orgSlug: string, accountId: string) =>
    `/orgs/${encodeURIComponent(orgSlug)}/service-accounts/${encodeURIComponent(accountId)}/tokens`,
  oemCredential: (orgSlug: string, credentialId: string) =>
    `/orgs/${encodeURIComponent(orgSlug)}/oem-credentials/${encodeURIComponent(credentialId)}`,
  vehicle: (orgSlug: string, vehicleId: string) =>
    `/orgs/${encodeURIComponent(orgSlug)}/vehicles/${encodeURIComponent(vehicleId)}`,
  auditStreaming: (orgSlug: string) => `/orgs/${encodeURIComponent(orgSlug)}/settings/audit-streaming`,
  webhooks: (orgSlug: string) => `/orgs/${encodeURIComponent(orgSlug)}/settings/webhooks`,
  webhook: (orgSlug: string, webhookId: string) =>
    `/orgs/${encodeURIComponent(orgSlug)}/settings/webhooks/${encodeURIComponent(webhookId)}`,
  apiReference: () => '/docs/api',
  permissionsHelp: () => '/docs/api#permissions',
} as const;
