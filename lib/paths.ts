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
  members: (orgSlug: string) => `/orgs/${encodeURIComponent(orgSlug)}/members`,
  settings: (orgSlug: string) => `/orgs/${encodeURIComponent(orgSlug)}/settings`,
} as const;
