import { ulid } from 'ulid';

/** Short type prefixes make an id's kind obvious in logs, URLs and support requests. */
export const ID_PREFIX = {
  organization: 'org',
  user: 'usr',
  membership: 'mem',
  project: 'prj',
  environment: 'env',
  scope: 'scp',
  role: 'rol',
  roleBinding: 'rb',
  serviceAccount: 'sa',
  clientSecret: 'kid',
  keyPair: 'kp',
  clientTokenPair: 'ctp',
  federatedCredential: 'fc',
  refreshToken: 'rt',
  signingKey: 'sk',
  vehicle: 'veh',
  webhook: 'wh',
  webhookDelivery: 'whd',
  auditSink: 'ask',
  lifecycleEvent: 'evt',
} as const;

export type IdKind = keyof typeof ID_PREFIX;

/** newId returns `<prefix>_<ULID>`: unique, time-ordered and URL-safe. */
export function newId(kind: IdKind): string {
  return `${ID_PREFIX[kind]}_${ulid()}`;
}

/** newUlid returns a bare ULID, for records whose public contract says "ULID id". */
export function newUlid(): string {
  return ulid();
}
