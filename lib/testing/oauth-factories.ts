import { randomUUID } from 'node:crypto';
import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair, type CryptoKey, type JWTPayload } from 'jose';
import { generateSecret, secretHint } from '@/lib/credentials/secret-format';
import { keyedHash } from '@/lib/crypto/keyed-hash';
import { db } from '@/lib/db/client';
import { PEER_IP_HEADER } from '@/lib/http/client-ip';
import { newId } from '@/lib/ids';
import { tokenUrl } from '@/lib/issuer';
import { uniqueSuffix } from './factories';

/**
 * Test factories for the token service. They create credentials exactly as the service
 * accounts domain does (issue 3's conventions): kid_… client secrets stored as keyed hashes,
 * kp_… ES256 key pairs stored as public JWKs, ctp_… client token pairs.
 */
type Org = { id: string };
export type TestAccount = { id: string; organizationId: string; name: string };

export async function createAccount(
  org: Org,
  options: {
    scopes?: string[];
    status?: 'ACTIVE' | 'SUSPENDED' | 'REVOKED';
    isAdmin?: boolean;
    ipAllowList?: string[];
    tokenLifetimeSeconds?: number;
    platform?: 'SERVER' | 'WEB';
  } = {},
): Promise<TestAccount> {
  const id = newId('serviceAccount');
  const status = options.status ?? 'ACTIVE';
  const account = await db.serviceAccount.create({
    data: {
      id,
      organizationId: org.id,
      name: `account-${uniqueSuffix()}`,
      platform: options.platform ?? 'SERVER',
      isAdmin: options.isAdmin ?? false,
      status,
      revokedAt: status === 'REVOKED' ? new Date() : null,
      suspendedAt: status === 'SUSPENDED' ? new Date() : null,
      ipAllowList: options.ipAllowList ?? [],
      tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3600,
    },
  });
  const names = options.scopes ?? ['TILE', 'MATRIX'];
  if (names.length > 0) {
    const scopes = await db.scope.findMany({ where: { organizationId: org.id, name: { in: names } } });
    await db.serviceAccountScope.createMany({
      data: scopes.map((s) => ({ serviceAccountId: id, scopeId: s.id, organizationId: org.id })),
    });
  }
  return { id: account.id, organizationId: org.id, name: account.name };
}

const inTwoYears = () => new Date(Date.now() + 2 * 365 * 86_400_000);

export async function createClientSecret(
  account: TestAccount,
  options: { status?: 'ENABLED' | 'DISABLED'; expiresAt?: Date; id?: string } = {},
) {
  const id = options.id ?? newId('clientSecret');
  const secret = generateSecret('clientSecret');
  const { hash, keyVersion } = keyedHash(secret);
  await db.clientSecret.create({
    data: {
      id,
      organizationId: account.organizationId,
      serviceAccountId: account.id,
      name: `secret-${uniqueSuffix()}`,
      secretHash: new Uint8Array(hash),
      hashKeyVersion: keyVersion,
      hint: secretHint(secret),
      status: options.status ?? 'ENABLED',
      expiresAt: options.expiresAt ?? inTwoYears(),
    },
  });
  return { id, secret };
}

export type TestKeyPair = { id: string; privateKey: CryptoKey };

export async function createKeyPair(
  account: TestAccount,
  options: { status?: 'ENABLED' | 'DISABLED'; expiresAt?: Date } = {},
): Promise<TestKeyPair> {
  const id = newId('keyPair');
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(publicKey);
  const publicKeyJwk = { kty: 'EC', crv: 'P-256', x: jwk.x ?? '', y: jwk.y ?? '' };
  await db.keyPair.create({
    data: {
      id,
      organizationId: account.organizationId,
      serviceAccountId: account.id,
      name: `key-${uniqueSuffix()}`,
      publicKeyJwk,
      thumbprint: await calculateJwkThumbprint(publicKeyJwk),
      origin: 'UPLOADED',
      status: options.status ?? 'ENABLED',
      expiresAt: options.expiresAt ?? inTwoYears(),
    },
  });
  return { id, privateKey };
}

export async function createClientTokenPair(
  account: TestAccount,
  options: { status?: 'ENABLED' | 'DISABLED'; expiresAt?: Date } = {},
) {
  const id = newId('clientTokenPair');
  const clientToken = generateSecret('clientToken');
  const serverToken = generateSecret('serverToken');
  const { hash, keyVersion } = keyedHash(serverToken);
  await db.clientTokenPair.create({
    data: {
      id,
      organizationId: account.organizationId,
      serviceAccountId: account.id,
      clientToken,
      serverTokenHash: new Uint8Array(hash),
      hashKeyVersion: keyVersion,
      status: options.status ?? 'ENABLED',
      expiresAt: options.expiresAt ?? inTwoYears(),
    },
  });
  return { id, clientToken, serverToken };
}

/** createProject creates a project with one environment; `bindTo` gives that account a project role in it. */
export async function createProject(org: Org, bindTo?: TestAccount) {
  const projectId = newId('project');
  await db.project.create({ data: { id: projectId, organizationId: org.id, name: `project-${uniqueSuffix()}` } });
  const environmentId = newId('environment');
  await db.environment.create({ data: { id: environmentId, organizationId: org.id, projectId, name: 'production' } });
  if (bindTo) await bindProjectRole(bindTo, projectId);
  return { projectId, environmentId };
}

export async function bindProjectRole(account: TestAccount, projectId: string | null): Promise<void> {
  const role = await db.roleDefinition.findFirstOrThrow({
    where: { organizationId: account.organizationId, name: projectId ? 'project.viewer' : 'organization.viewer' },
  });
  await db.roleBinding.create({
    data: {
      id: newId('roleBinding'),
      organizationId: account.organizationId,
      serviceAccountId: account.id,
      roleId: role.id,
      projectId,
    },
  });
}

/** signAssertion signs an RFC 7523 assertion with a key pair; `claims` and `header` override the defaults. */
export async function signAssertion(
  key: TestKeyPair,
  claims: JWTPayload & Record<string, unknown> = {},
  header: { alg?: string; typ?: string; kid?: string | null } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const payload: JWTPayload = {
    iss: key.id,
    sub: key.id,
    aud: tokenUrl(),
    iat: now,
    exp: now + 60,
    jti: randomUUID(),
    ...claims,
  };
  for (const k of Object.keys(payload)) if (payload[k] === undefined) delete payload[k];
  // kid: the key id unless given; null leaves it out.
  const kid = header.kid === null ? {} : { kid: header.kid ?? key.id };
  return new SignJWT(payload)
    .setProtectedHeader({ alg: header.alg ?? 'ES256', ...kid, ...(header.typ ? { typ: header.typ } : {}) })
    .sign(key.privateKey);
}

export function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

/** formRequest builds a form POST as the HTTP server would hand it to a route (peer address set). */
export function formRequest(
  path: string,
  params: Record<string, string>,
  options: { authorization?: string; ip?: string; headers?: Record<string, string> } = {},
): Request {
  return new Request(`http://localhost:3000${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      [PEER_IP_HEADER]: options.ip ?? '127.0.0.1',
      ...(options.authorization ? { authorization: options.authorization } : {}),
      ...options.headers,
    },
    body: new URLSearchParams(params).toString(),
  });
}

/** jsonRequest builds a JSON POST (compat flows). */
export function jsonRequest(
  path: string,
  body: unknown,
  options: { authorization?: string; ip?: string } = {},
): Request {
  return new Request(`http://localhost:3000${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [PEER_IP_HEADER]: options.ip ?? '127.0.0.1',
      ...(options.authorization ? { authorization: options.authorization } : {}),
    },
    body: JSON.stringify(body),
  });
}

/** auditEvents returns an organization's (or the instance chain's) token events, oldest first. */
export async function tokenEvents(organizationId: string | null) {
  return db.auditEvent.findMany({
    where: { organizationId, action: { startsWith: 'token.' } },
    orderBy: { seq: 'asc' },
  });
}
