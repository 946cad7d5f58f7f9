import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { $Enums, Prisma, type PrismaClient } from '@/lib/db/generated/client';
import { newId, newUlid } from '@/lib/ids';
import { getTestDb } from '@/lib/testing/db';

// prisma/schema.prisma describes the database to the client, but the database is built by the
// plain SQL of prisma/migrations/. These tests fail when the two drift apart: a missing table or
// column, a NOT NULL column the client does not fill, an enum value one side lacks, a value that
// does not come back as written (Bytes, BigInt, Json, arrays, timestamps). They cannot see a
// column type the driver silently converts (INTEGER vs TEXT) or a database default the client
// fills in itself.

const DAY_MS = 86_400_000;
const inDays = (days: number): Date => new Date(Date.now() + days * DAY_MS);
const randomHash = (): Uint8Array<ArrayBuffer> => new Uint8Array(randomBytes(32));
const hex = (text: string): string => createHash('sha256').update(text).digest('hex');
const snakeCase = (name: string): string => name.replace(/(?<!^)([A-Z])/g, '_$1').toLowerCase();

/** A VIN of the right shape with a valid check digit. */
const VIN = '1HGCM82633A004352';

describe('schema.prisma and the migrated database', () => {
  let db: PrismaClient;

  beforeAll(async () => {
    db = await getTestDb();
  });

  // The database is shared by the tests of a worker: every slug and name gets a fresh tag.
  const newTag = (): string => randomUUID().slice(0, 8);

  it('have the same enum types and values', async () => {
    const rows = await db.$queryRaw<{ name: string; labels: string[] }[]>`
      SELECT t.typname::text AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
      FROM pg_type t
      JOIN pg_enum e ON e.enumtypid = t.oid
      JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = current_schema()
      GROUP BY t.typname`;
    const inDatabase = Object.fromEntries(rows.map((row) => [row.name, row.labels]));
    // Every enum is @@map'ped to the snake_case of its name.
    const inSchema = Object.fromEntries(
      Object.entries($Enums).map(([name, values]) => [snakeCase(name), Object.values(values)]),
    );
    expect(inDatabase).toEqual(inSchema);
  });

  it('create, read, update and delete a row of every model through the client', async () => {
    const tag = newTag();
    const exercised = new Set<Prisma.ModelName>();

    // Each write returns every column; reading the row back must give exactly the same values
    // and types (Bytes, BigInt, Json, arrays, millisecond timestamps).

    // --- Organization -------------------------------------------------------------------------
    const orgCreated = await db.organization.create({
      data: { id: newId('organization'), slug: `schema-${tag}`, name: 'Schema agreement' },
    });
    expect(orgCreated.maxCredentialLifetimeDays).toBe(730);
    const organizationId = orgCreated.id;
    const org = await db.organization.update({
      where: { id: organizationId },
      data: { name: 'Schema agreement (renamed)', maxCredentialLifetimeDays: 365, requireTwoFactor: true },
    });
    expect(org.requireTwoFactor).toBe(true);
    expect(await db.organization.findUnique({ where: { slug: `schema-${tag}` } })).toEqual(org);

    // --- User ---------------------------------------------------------------------------------
    const userCreated = await db.user.create({
      data: { id: newId('user'), email: `schema-${tag}@example.test`, name: 'Ada' },
    });
    expect(userCreated).toMatchObject({
      passwordHash: null,
      oidcSubject: null,
      totpSecretEnc: null,
      recoveryCodeHashes: [],
      recoveryCodesKeyVersion: null,
    });
    expect(await db.user.findUnique({ where: { id: userCreated.id } })).toEqual(userCreated);
    const user = await db.user.update({
      where: { id: userCreated.id },
      data: {
        passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA',
        oidcSubject: `oidc|${tag}`,
        totpSecretEnc: randomHash(),
        totpEnabledAt: new Date(),
        lastSignInAt: new Date(),
        recoveryCodeHashes: [randomHash(), randomHash()],
        recoveryCodesKeyVersion: 1,
        recoveryCodesGeneratedAt: new Date(),
      },
    });
    expect(user.recoveryCodeHashes).toHaveLength(2);
    expect(await db.user.findUnique({ where: { email: user.email } })).toEqual(user);

    // --- Membership ---------------------------------------------------------------------------
    const membershipCreated = await db.membership.create({
      data: { id: newId('membership'), organizationId, userId: user.id, role: 'ADMIN' },
    });
    expect(
      await db.membership.findUnique({ where: { organizationId_userId: { organizationId, userId: user.id } } }),
    ).toEqual(membershipCreated);
    const membership = await db.membership.update({ where: { id: membershipCreated.id }, data: { role: 'AUDITOR' } });
    expect(await db.membership.findUnique({ where: { id: membership.id } })).toEqual(membership);

    // --- Project ------------------------------------------------------------------------------
    const projectCreated = await db.project.create({
      data: { id: newId('project'), organizationId, name: 'Maps' },
    });
    expect(projectCreated.description).toBe('');
    const project = await db.project.update({
      where: { id: projectCreated.id },
      data: { description: 'Tiles and routing' },
    });
    expect(await db.project.findUnique({ where: { organizationId_name: { organizationId, name: 'Maps' } } })).toEqual(
      project,
    );

    // --- Environment --------------------------------------------------------------------------
    const environmentCreated = await db.environment.create({
      data: { id: newId('environment'), organizationId, projectId: project.id, name: 'staging' },
    });
    expect(await db.environment.findUnique({ where: { id: environmentCreated.id } })).toEqual(environmentCreated);
    const environment = await db.environment.update({
      where: { id: environmentCreated.id },
      data: { name: 'production' },
    });
    expect(
      await db.environment.findUnique({ where: { projectId_name: { projectId: project.id, name: 'production' } } }),
    ).toEqual(environment);

    // --- Scope --------------------------------------------------------------------------------
    const scopeCreated = await db.scope.create({ data: { id: newId('scope'), organizationId, name: 'TILE' } });
    expect(scopeCreated).toMatchObject({ description: '', isManagement: false });
    const scope = await db.scope.update({
      where: { id: scopeCreated.id },
      data: { description: 'Map tiles', isManagement: true },
    });
    expect(await db.scope.findUnique({ where: { organizationId_name: { organizationId, name: 'TILE' } } })).toEqual(
      scope,
    );
    const otherScope = await db.scope.create({
      data: { id: newId('scope'), organizationId, name: 'service_accounts:read' },
    });

    // --- ServiceAccount -----------------------------------------------------------------------
    const accountCreated = await db.serviceAccount.create({
      data: {
        id: newId('serviceAccount'),
        organizationId,
        name: 'billing-backend',
        platform: 'SERVER',
        createdById: user.id,
      },
    });
    expect(accountCreated).toMatchObject({
      description: '',
      isAdmin: false,
      requireDpop: false,
      status: 'ACTIVE',
      tokenLifetimeSeconds: 3600,
      ipAllowList: [],
      lastUsedAt: null,
      suspendedAt: null,
      revokedAt: null,
    });
    expect(await db.serviceAccount.findUnique({ where: { id: accountCreated.id } })).toEqual(accountCreated);
    const account = await db.serviceAccount.update({
      where: { id: accountCreated.id },
      data: {
        description: 'Bills customers',
        platform: 'WEB',
        isAdmin: true,
        requireDpop: true,
        status: 'SUSPENDED',
        suspendedAt: new Date(),
        tokenLifetimeSeconds: 600,
        ipAllowList: ['10.0.0.0/8', '2001:db8::/32'],
        lastUsedAt: new Date(),
      },
    });
    expect(
      await db.serviceAccount.findUnique({
        where: { organizationId_name: { organizationId, name: 'billing-backend' } },
      }),
    ).toEqual(account);
    const serviceAccountId = account.id;

    // --- ServiceAccountScope ------------------------------------------------------------------
    const grantCreated = await db.serviceAccountScope.create({
      data: { serviceAccountId, scopeId: scope.id, organizationId },
    });
    expect(
      await db.serviceAccountScope.findUnique({
        where: { serviceAccountId_scopeId: { serviceAccountId, scopeId: scope.id } },
      }),
    ).toEqual(grantCreated);
    const grant = await db.serviceAccountScope.update({
      where: { serviceAccountId_scopeId: { serviceAccountId, scopeId: scope.id } },
      data: { scopeId: otherScope.id },
    });
    expect(
      await db.serviceAccountScope.findUnique({
        where: { serviceAccountId_scopeId: { serviceAccountId, scopeId: otherScope.id } },
      }),
    ).toEqual(grant);

    // --- RoleDefinition -----------------------------------------------------------------------
    const roleCreated = await db.roleDefinition.create({
      data: { id: newId('role'), organizationId, name: 'Deployer', kind: 'ORGANIZATION' },
    });
    expect(roleCreated.description).toBe('');
    const role = await db.roleDefinition.update({
      where: { id: roleCreated.id },
      data: { kind: 'PROJECT', description: 'Deploys a project' },
    });
    expect(
      await db.roleDefinition.findUnique({ where: { organizationId_name: { organizationId, name: 'Deployer' } } }),
    ).toEqual(role);

    // --- RoleBinding --------------------------------------------------------------------------
    const bindingCreated = await db.roleBinding.create({
      data: { id: newId('roleBinding'), organizationId, serviceAccountId, roleId: role.id },
    });
    expect(bindingCreated.projectId).toBeNull();
    expect(await db.roleBinding.findUnique({ where: { id: bindingCreated.id } })).toEqual(bindingCreated);
    const binding = await db.roleBinding.update({ where: { id: bindingCreated.id }, data: { projectId: project.id } });
    expect(await db.roleBinding.findUnique({ where: { id: binding.id } })).toEqual(binding);

    // --- ClientSecret -------------------------------------------------------------------------
    const secretCreated = await db.clientSecret.create({
      data: {
        id: newId('clientSecret'),
        organizationId,
        serviceAccountId,
        name: 'primary',
        secretHash: randomHash(),
        hashKeyVersion: 1,
        hint: 'lk_sec_…a1b2',
        expiresAt: inDays(730),
        createdById: user.id,
      },
    });
    expect(secretCreated).toMatchObject({ status: 'ENABLED', lastUsedAt: null, lastUsedIp: null });
    expect(await db.clientSecret.findUnique({ where: { secretHash: secretCreated.secretHash } })).toEqual(
      secretCreated,
    );
    const secret = await db.clientSecret.update({
      where: { id: secretCreated.id },
      data: { status: 'DISABLED', lastUsedAt: new Date(), lastUsedIp: '203.0.113.7', hashKeyVersion: 2 },
    });
    expect(await db.clientSecret.findUnique({ where: { id: secret.id } })).toEqual(secret);

    // --- KeyPair ------------------------------------------------------------------------------
    const jwk = {
      kty: 'EC',
      crv: 'P-256',
      x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
      y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
    };
    const keyPairCreated = await db.keyPair.create({
      data: {
        id: newId('keyPair'),
        organizationId,
        serviceAccountId,
        name: 'ci',
        publicKeyJwk: jwk,
        thumbprint: `thumb-${tag}`,
        origin: 'UPLOADED',
        expiresAt: inDays(365),
        createdById: user.id,
      },
    });
    expect(keyPairCreated).toMatchObject({ algorithm: 'ES256', status: 'ENABLED', publicKeyJwk: jwk });
    expect(
      await db.keyPair.findUnique({
        where: {
          organizationId_thumbprint: { organizationId: keyPairCreated.organizationId, thumbprint: `thumb-${tag}` },
        },
      }),
    ).toEqual(keyPairCreated);
    const keyPair = await db.keyPair.update({
      where: { id: keyPairCreated.id },
      data: { status: 'DISABLED', name: 'ci (old)', lastUsedAt: new Date(), lastUsedIp: '2001:db8::1' },
    });
    expect(await db.keyPair.findUnique({ where: { id: keyPair.id } })).toEqual(keyPair);

    // --- FederatedCredential ------------------------------------------------------------------
    const conditions = [{ claim: 'repository_id', op: 'equals', value: '123' }];
    const federatedCreated = await db.federatedCredential.create({
      data: {
        id: newId('federatedCredential'),
        organizationId,
        serviceAccountId,
        name: 'deploy workflow',
        template: 'github_actions',
        issuer: 'https://token.actions.githubusercontent.com',
        keySource: 'DISCOVERY',
        audience: 'https://latchkey.example',
        subject: 'repo:octo-org@1/octo-repo@123:environment:prod',
        claimConditions: conditions,
        expiresAt: inDays(365),
        createdById: user.id,
      },
    });
    expect(federatedCreated).toMatchObject({
      subjectMatch: 'EXACT',
      allowedAlgorithms: ['RS256', 'ES256'],
      maxTokenAgeSeconds: 3600,
      status: 'ENABLED',
      jwksUri: null,
      inlineJwks: null,
      claimConditions: conditions,
    });
    expect(await db.federatedCredential.findUnique({ where: { id: federatedCreated.id } })).toEqual(federatedCreated);
    const inlineJwks = { keys: [{ kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y, kid: 'k1' }] };
    const federated = await db.federatedCredential.update({
      where: { id: federatedCreated.id },
      data: {
        keySource: 'INLINE_JWKS',
        inlineJwks,
        subjectMatch: 'GLOB',
        subject: 'system:serviceaccount:ci:*',
        allowedAlgorithms: ['ES256'],
        maxTokenAgeSeconds: 600,
        status: 'DISABLED',
        tokensValidAfter: new Date(),
        lastUsedAt: new Date(),
        lastUsedIp: '192.0.2.7',
      },
    });
    expect(federated.inlineJwks).toEqual(inlineJwks);
    expect(await db.federatedCredential.findUnique({ where: { id: federated.id } })).toEqual(federated);

    // --- ClientTokenPair ----------------------------------------------------------------------
    const tokenPairCreated = await db.clientTokenPair.create({
      data: {
        id: newId('clientTokenPair'),
        organizationId,
        serviceAccountId,
        clientToken: `lk_ct_${tag}`,
        serverTokenHash: randomHash(),
        hashKeyVersion: 1,
        expiresAt: inDays(730),
        createdById: user.id,
      },
    });
    expect(tokenPairCreated.status).toBe('ENABLED');
    expect(await db.clientTokenPair.findUnique({ where: { clientToken: `lk_ct_${tag}` } })).toEqual(tokenPairCreated);
    const tokenPair = await db.clientTokenPair.update({
      where: { id: tokenPairCreated.id },
      data: { status: 'DISABLED', lastUsedAt: new Date(), lastUsedIp: '198.51.100.4' },
    });
    expect(await db.clientTokenPair.findUnique({ where: { serverTokenHash: tokenPair.serverTokenHash } })).toEqual(
      tokenPair,
    );

    // --- RefreshToken (a family of two: the first token and its rotation) ----------------------
    const familyId = randomUUID();
    const firstRefresh = await db.refreshToken.create({
      data: {
        id: newId('refreshToken'),
        organizationId,
        serviceAccountId,
        familyId,
        tokenHash: randomHash(),
        scope: 'TILE',
        expiresAt: inDays(30),
        familyExpiresAt: inDays(90),
      },
    });
    expect(firstRefresh).toMatchObject({ parentId: null, clientTokenPairId: null, usedAt: null, revokedAt: null });
    const rotatedCreated = await db.refreshToken.create({
      data: {
        id: newId('refreshToken'),
        organizationId,
        serviceAccountId,
        familyId,
        tokenHash: randomHash(),
        parentId: firstRefresh.id,
        clientTokenPairId: tokenPair.id,
        scope: 'TILE service_accounts:read',
        projectId: project.id,
        environmentId: environment.id,
        expiresAt: inDays(30),
        familyExpiresAt: inDays(90),
        dpopJkt: hex(tag).slice(0, 43),
      },
    });
    const family = await db.refreshToken.findMany({ where: { familyId } });
    expect(family).toHaveLength(2);
    expect(family).toEqual(expect.arrayContaining([firstRefresh, rotatedCreated]));
    const rotated = await db.refreshToken.update({
      where: { id: rotatedCreated.id },
      data: { usedAt: new Date(), revokedAt: new Date() },
    });
    expect(await db.refreshToken.findUnique({ where: { tokenHash: rotated.tokenHash } })).toEqual(rotated);

    // --- UsedAssertion ------------------------------------------------------------------------
    const assertionKey = { issuer: keyPair.id, jti: randomUUID() };
    const assertionCreated = await db.usedAssertion.create({ data: { ...assertionKey, expiresAt: inDays(1) } });
    expect(await db.usedAssertion.findUnique({ where: { issuer_jti: assertionKey } })).toEqual(assertionCreated);
    const assertion = await db.usedAssertion.update({
      where: { issuer_jti: assertionKey },
      data: { expiresAt: inDays(2) },
    });
    expect(await db.usedAssertion.findUnique({ where: { issuer_jti: assertionKey } })).toEqual(assertion);

    // --- DpopProofJti -------------------------------------------------------------------------
    const proofKey = { jkt: hex(tag).slice(0, 43), jti: randomUUID() };
    const proofCreated = await db.dpopProofJti.create({ data: { ...proofKey, expiresAt: inDays(1) } });
    expect(await db.dpopProofJti.findUnique({ where: { jkt_jti: proofKey } })).toEqual(proofCreated);
    const proof = await db.dpopProofJti.update({ where: { jkt_jti: proofKey }, data: { expiresAt: inDays(2) } });
    expect(await db.dpopProofJti.findUnique({ where: { jkt_jti: proofKey } })).toEqual(proof);

    // --- RevokedToken -------------------------------------------------------------------------
    const jti = randomUUID();
    const revokedCreated = await db.revokedToken.create({ data: { jti, organizationId, expiresAt: inDays(1) } });
    expect(revokedCreated.serviceAccountId).toBeNull();
    expect(await db.revokedToken.findUnique({ where: { jti } })).toEqual(revokedCreated);
    const revoked = await db.revokedToken.update({ where: { jti }, data: { serviceAccountId } });
    expect(await db.revokedToken.findUnique({ where: { jti } })).toEqual(revoked);

    // --- SigningKey (never ACTIVE here: at most one key of the database may be) -----------------
    const signingKeyCreated = await db.signingKey.create({
      data: {
        id: newId('signingKey'),
        status: 'PENDING',
        publicKeyJwk: jwk,
        privateKeyEnc: randomHash(),
        encKeyVersion: 1,
      },
    });
    expect(signingKeyCreated).toMatchObject({ algorithm: 'ES256', activatedAt: null, retiredAt: null, notAfter: null });
    expect(await db.signingKey.findUnique({ where: { id: signingKeyCreated.id } })).toEqual(signingKeyCreated);
    const signingKey = await db.signingKey.update({
      where: { id: signingKeyCreated.id },
      data: {
        status: 'RETIRED',
        activatedAt: new Date(),
        retiredAt: new Date(),
        notAfter: inDays(1),
        encKeyVersion: 2,
      },
    });
    expect(await db.signingKey.findUnique({ where: { id: signingKey.id } })).toEqual(signingKey);

    // --- OemCredential ------------------------------------------------------------------------
    const oemCreated = await db.oemCredential.create({
      data: {
        id: newUlid(),
        organizationId,
        brand: 'NIU',
        name: 'NIU fleet',
        clientId: `niu-${tag}`,
        clientSecretEnc: randomHash(),
        encKeyVersion: 1,
        createdById: user.id,
      },
    });
    expect(oemCreated.id).toHaveLength(26);
    expect(
      await db.oemCredential.findUnique({ where: { organizationId_name: { organizationId, name: 'NIU fleet' } } }),
    ).toEqual(oemCreated);
    const oemCredential = await db.oemCredential.update({
      where: { id: oemCreated.id },
      data: { clientSecretEnc: randomHash(), encKeyVersion: 2 },
    });
    expect(
      await db.oemCredential.findUnique({
        where: { organizationId_brand_clientId: { organizationId, brand: 'NIU', clientId: `niu-${tag}` } },
      }),
    ).toEqual(oemCredential);

    // --- Vehicle ------------------------------------------------------------------------------
    const vehicleCreated = await db.vehicle.create({
      data: { id: newId('vehicle'), organizationId, vin: VIN, brand: 'NIU' },
    });
    expect(vehicleCreated).toMatchObject({ oemCredentialId: null, createdById: null });
    expect(await db.vehicle.findUnique({ where: { organizationId_vin: { organizationId, vin: VIN } } })).toEqual(
      vehicleCreated,
    );
    const vehicle = await db.vehicle.update({
      where: { id: vehicleCreated.id },
      data: { oemCredentialId: oemCredential.id, createdById: user.id },
    });
    expect(await db.vehicle.findUnique({ where: { id: vehicle.id } })).toEqual(vehicle);

    // --- Delete, children first ---------------------------------------------------------------
    await db.vehicle.delete({ where: { id: vehicle.id } });
    expect(await db.vehicle.findUnique({ where: { id: vehicle.id } })).toBeNull();
    exercised.add('Vehicle');

    await db.oemCredential.delete({ where: { id: oemCredential.id } });
    expect(await db.oemCredential.findUnique({ where: { id: oemCredential.id } })).toBeNull();
    exercised.add('OemCredential');

    await db.signingKey.delete({ where: { id: signingKey.id } });
    expect(await db.signingKey.findUnique({ where: { id: signingKey.id } })).toBeNull();
    exercised.add('SigningKey');

    await db.revokedToken.delete({ where: { jti } });
    expect(await db.revokedToken.findUnique({ where: { jti } })).toBeNull();
    exercised.add('RevokedToken');

    await db.usedAssertion.delete({ where: { issuer_jti: assertionKey } });
    expect(await db.usedAssertion.findUnique({ where: { issuer_jti: assertionKey } })).toBeNull();
    exercised.add('UsedAssertion');

    await db.dpopProofJti.delete({ where: { jkt_jti: proofKey } });
    expect(await db.dpopProofJti.findUnique({ where: { jkt_jti: proofKey } })).toBeNull();
    exercised.add('DpopProofJti');

    await db.refreshToken.delete({ where: { id: firstRefresh.id } });
    // The rotation survives its parent (ON DELETE SET NULL), still in its family.
    expect(await db.refreshToken.findUnique({ where: { id: rotated.id } })).toEqual({ ...rotated, parentId: null });
    await db.refreshToken.delete({ where: { id: rotated.id } });
    expect(await db.refreshToken.count({ where: { familyId } })).toBe(0);
    exercised.add('RefreshToken');

    await db.clientTokenPair.delete({ where: { id: tokenPair.id } });
    expect(await db.clientTokenPair.findUnique({ where: { id: tokenPair.id } })).toBeNull();
    exercised.add('ClientTokenPair');

    await db.federatedCredential.delete({ where: { id: federated.id } });
    expect(await db.federatedCredential.findUnique({ where: { id: federated.id } })).toBeNull();
    exercised.add('FederatedCredential');

    await db.keyPair.delete({ where: { id: keyPair.id } });
    expect(await db.keyPair.findUnique({ where: { id: keyPair.id } })).toBeNull();
    exercised.add('KeyPair');

    await db.clientSecret.delete({ where: { id: secret.id } });
    expect(await db.clientSecret.findUnique({ where: { id: secret.id } })).toBeNull();
    exercised.add('ClientSecret');

    await db.roleBinding.delete({ where: { id: binding.id } });
    expect(await db.roleBinding.findUnique({ where: { id: binding.id } })).toBeNull();
    exercised.add('RoleBinding');

    await db.roleDefinition.delete({ where: { id: role.id } });
    expect(await db.roleDefinition.findUnique({ where: { id: role.id } })).toBeNull();
    exercised.add('RoleDefinition');

    const grantKey = { serviceAccountId, scopeId: otherScope.id };
    await db.serviceAccountScope.delete({ where: { serviceAccountId_scopeId: grantKey } });
    expect(await db.serviceAccountScope.findUnique({ where: { serviceAccountId_scopeId: grantKey } })).toBeNull();
    exercised.add('ServiceAccountScope');

    // REVOKED needs revoked_at (a CHECK); the terminal state must be storable before deletion.
    const revokedAccount = await db.serviceAccount.update({
      where: { id: serviceAccountId },
      data: { status: 'REVOKED', revokedAt: new Date() },
    });
    expect(await db.serviceAccount.findUnique({ where: { id: serviceAccountId } })).toEqual(revokedAccount);
    await db.serviceAccount.delete({ where: { id: serviceAccountId } });
    expect(await db.serviceAccount.findUnique({ where: { id: serviceAccountId } })).toBeNull();
    exercised.add('ServiceAccount');

    await db.scope.deleteMany({ where: { id: { in: [scope.id, otherScope.id] } } });
    expect(await db.scope.count({ where: { organizationId } })).toBe(0);
    exercised.add('Scope');

    await db.environment.delete({ where: { id: environment.id } });
    expect(await db.environment.findUnique({ where: { id: environment.id } })).toBeNull();
    exercised.add('Environment');

    await db.project.delete({ where: { id: project.id } });
    expect(await db.project.findUnique({ where: { id: project.id } })).toBeNull();
    exercised.add('Project');

    // --- AuditSink (migration 0044) ---------------------------------------------------------
    const sink = await db.auditSink.create({
      data: {
        id: newId('auditSink'),
        organizationId,
        kind: 'OTLP_HTTP',
        name: 'SIEM',
        config: { url: 'https://siem.example.test/v1/logs' },
        secretEnc: randomHash(),
        encKeyVersion: 1,
        createdById: user.id,
      },
    });
    expect(sink).toMatchObject({ status: 'ACTIVE', lastAckedSeq: 0n, instanceWide: false, lastError: null });
    expect(sink.lastAckedHash).toBe('0'.repeat(64));
    expect(await db.auditSink.findUnique({ where: { id: sink.id } })).toEqual(sink);
    const advanced = await db.auditSink.update({
      where: { id: sink.id },
      data: {
        lastAckedSeq: 9_007_199_254_740_993n,
        lastAckedHash: hex('head'),
        lastDeliveredAt: new Date(),
        status: 'PAUSED',
      },
    });
    expect(advanced.lastAckedSeq).toBe(9_007_199_254_740_993n);
    expect(await db.auditSink.findUnique({ where: { id: sink.id } })).toEqual(advanced);
    // A file sink is the operator's only (environment): the database refuses one of an org.
    await expect(
      db.auditSink.create({ data: { id: newId('auditSink'), organizationId, kind: 'NDJSON_FILE' } }),
    ).rejects.toThrow();
    await db.auditSink.delete({ where: { id: sink.id } });
    expect(await db.auditSink.findUnique({ where: { id: sink.id } })).toBeNull();
    exercised.add('AuditSink');

    // --- Webhook, LifecycleEvent, WebhookDelivery, CredentialExpiryWarning (migration 0042) -----
    const webhook = await db.webhook.create({
      data: {
        id: newId('webhook'),
        organizationId,
        url: 'https://hooks.example.test/latchkey',
        eventTypes: ['credential.created', 'credential.expiring_7d'],
        secretEnc: randomHash(),
        encKeyVersion: 1,
        createdById: user.id,
      },
    });
    expect(webhook).toMatchObject({ status: 'ENABLED', consecutiveFailures: 0, description: '', disabledReason: null });
    expect(await db.webhook.findUnique({ where: { id: webhook.id } })).toEqual(webhook);
    const event = await db.lifecycleEvent.create({
      data: {
        id: newId('lifecycleEvent'),
        organizationId,
        type: 'webhook.test',
        payload: { type: 'webhook.test', data: { nested: [1, 'two'] } },
        webhookId: webhook.id,
      },
    });
    expect(await db.lifecycleEvent.findUnique({ where: { id: event.id } })).toEqual(event);
    const delivery = await db.webhookDelivery.create({
      data: { id: newId('webhookDelivery'), organizationId, webhookId: webhook.id, eventId: event.id },
    });
    expect(delivery).toMatchObject({ status: 'PENDING', attempts: 0, manual: false, enqueuedAt: null });
    const delivered = await db.webhookDelivery.update({
      where: { id: delivery.id },
      data: { status: 'SUCCEEDED', attempts: 2, responseStatus: 204, latencyMs: 12, lastAttemptAt: new Date() },
    });
    expect(await db.webhookDelivery.findUnique({ where: { id: delivery.id } })).toEqual(delivered);
    const dispatched = await db.lifecycleEvent.update({ where: { id: event.id }, data: { dispatchedAt: new Date() } });
    expect(await db.lifecycleEvent.findUnique({ where: { id: event.id } })).toEqual(dispatched);
    const disabledHook = await db.webhook.update({
      where: { id: webhook.id },
      data: { status: 'DISABLED', consecutiveFailures: 3, disabledReason: 'failures' },
    });
    expect(await db.webhook.findUnique({ where: { id: webhook.id } })).toEqual(disabledHook);
    const warningKey = { credentialId: newId('clientSecret'), threshold: '7d' };
    const warning = await db.credentialExpiryWarning.create({
      data: { ...warningKey, organizationId, credentialExpiresAt: inDays(7) },
    });
    expect(await db.credentialExpiryWarning.findUnique({ where: { credentialId_threshold: warningKey } })).toEqual(
      warning,
    );
    await expect(
      db.credentialExpiryWarning.create({ data: { ...warningKey, organizationId, credentialExpiresAt: inDays(7) } }),
    ).rejects.toThrow();
    const moved = await db.credentialExpiryWarning.update({
      where: { credentialId_threshold: warningKey },
      data: { credentialExpiresAt: inDays(6) },
    });
    expect(await db.credentialExpiryWarning.findUnique({ where: { credentialId_threshold: warningKey } })).toEqual(
      moved,
    );
    await db.credentialExpiryWarning.delete({ where: { credentialId_threshold: warningKey } });
    exercised.add('CredentialExpiryWarning');
    const alertKey = { credentialId: newId('federatedCredential'), bucket: new Date('2026-12-03T10:00:00Z') };
    const alert = await db.federatedRefusalAlert.create({ data: { ...alertKey, organizationId, refusals: 2n } });
    expect(await db.federatedRefusalAlert.findUnique({ where: { credentialId_bucket: alertKey } })).toEqual(alert);
    await expect(
      db.federatedRefusalAlert.create({ data: { ...alertKey, organizationId, refusals: 0n } }),
    ).rejects.toThrow();
    const counted = await db.federatedRefusalAlert.update({
      where: { credentialId_bucket: alertKey },
      data: { refusals: 5n },
    });
    expect(await db.federatedRefusalAlert.findUnique({ where: { credentialId_bucket: alertKey } })).toEqual(counted);
    await expect(
      db.federatedRefusalAlert.update({ where: { credentialId_bucket: alertKey }, data: { refusals: 0n } }),
    ).rejects.toThrow();
    await db.federatedRefusalAlert.delete({ where: { credentialId_bucket: alertKey } });
    exercised.add('FederatedRefusalAlert');
    await db.webhookDelivery.delete({ where: { id: delivery.id } });
    expect(await db.webhookDelivery.findUnique({ where: { id: delivery.id } })).toBeNull();
    exercised.add('WebhookDelivery');
    await db.lifecycleEvent.delete({ where: { id: event.id } });
    expect(await db.lifecycleEvent.findUnique({ where: { id: event.id } })).toBeNull();
    exercised.add('LifecycleEvent');
    await db.webhook.delete({ where: { id: webhook.id } });
    expect(await db.webhook.findUnique({ where: { id: webhook.id } })).toBeNull();
    exercised.add('Webhook');

    const optedOut = await db.membership.update({ where: { id: membership.id }, data: { lifecycleEmailOptOut: true } });
    expect(await db.membership.findUnique({ where: { id: membership.id } })).toEqual(optedOut);

    await db.membership.delete({ where: { id: membership.id } });
    expect(await db.membership.findUnique({ where: { id: membership.id } })).toBeNull();
    exercised.add('Membership');

    await db.user.delete({ where: { id: user.id } });
    expect(await db.user.findUnique({ where: { id: user.id } })).toBeNull();
    exercised.add('User');

    await db.organization.delete({ where: { id: organizationId } });
    expect(await db.organization.findUnique({ where: { id: organizationId } })).toBeNull();
    exercised.add('Organization');

    // --- AuditEvent: create and read only; the database refuses the rest ------------------------
    // In its own organization, which can then never be deleted (audit_events is ON DELETE RESTRICT).
    const auditOrg = await db.organization.create({
      data: { id: newId('organization'), slug: `schema-audit-${tag}`, name: 'Schema agreement (audit)' },
    });
    const first = await db.auditEvent.create({
      data: {
        organizationId: auditOrg.id,
        seq: 1n,
        actorType: 'SYSTEM',
        actorLabel: 'system',
        action: 'organization.created',
        outcome: 'SUCCESS',
        prevHash: '0'.repeat(64),
        hash: hex('first'),
      },
    });
    expect(typeof first.id).toBe('bigint');
    expect(first).toMatchObject({ details: {}, actorId: null, targetType: null, ip: null });
    const second = await db.auditEvent.create({
      data: {
        organizationId: auditOrg.id,
        seq: 2n,
        actorType: 'MEMBER',
        actorId: newId('user'),
        actorLabel: 'ada@example.test',
        action: 'service_account.suspended',
        targetType: 'service_account',
        targetId: newId('serviceAccount'),
        outcome: 'FAILURE',
        ip: '203.0.113.9',
        userAgent: 'vitest',
        requestId: randomUUID(),
        details: { reason: 'test', nested: { count: 2 } },
        prevHash: first.hash,
        hash: hex('second'),
      },
    });
    expect(await db.auditEvent.findMany({ where: { organizationId: auditOrg.id }, orderBy: { seq: 'asc' } })).toEqual([
      first,
      second,
    ]);

    // The application's role may only read and append (lib/db/runtime-role.ts); the owner meets the
    // append-only trigger (lib/audit/record-audit-event.int.test.ts).
    await expect(db.auditEvent.update({ where: { id: first.id }, data: { outcome: 'FAILURE' } })).rejects.toThrow(
      /permission denied/,
    );
    await expect(db.auditEvent.delete({ where: { id: first.id } })).rejects.toThrow(/permission denied/);
    await expect(db.auditEvent.deleteMany({ where: { organizationId: auditOrg.id } })).rejects.toThrow(
      /permission denied/,
    );
    await expect(db.organization.delete({ where: { id: auditOrg.id } })).rejects.toThrow();
    expect(await db.auditEvent.count({ where: { organizationId: auditOrg.id } })).toBe(2);
    exercised.add('AuditEvent');

    expect([...exercised].sort()).toEqual(Object.values(Prisma.ModelName).sort());
  });

  it('refuse cross-organization references and deleting an OEM credential in use', async () => {
    const tag = newTag();
    const createOrg = (suffix: string) =>
      db.organization.create({
        data: { id: newId('organization'), slug: `schema-${suffix}-${tag}`, name: `Schema ${suffix}` },
      });
    const orgA = await createOrg('a');
    const orgB = await createOrg('b');
    const projectA = await db.project.create({ data: { id: newId('project'), organizationId: orgA.id, name: 'A' } });

    // The composite foreign keys keep every child in its parent's organization.
    await expect(
      db.environment.create({
        data: { id: newId('environment'), organizationId: orgB.id, projectId: projectA.id, name: 'production' },
      }),
    ).rejects.toThrow();

    const credential = await db.oemCredential.create({
      data: {
        id: newUlid(),
        organizationId: orgA.id,
        brand: 'SEGWAY',
        name: 'Segway',
        clientId: 'segway-client',
        clientSecretEnc: randomHash(),
        encKeyVersion: 1,
      },
    });
    await db.vehicle.create({
      data: {
        id: newId('vehicle'),
        organizationId: orgA.id,
        vin: VIN,
        brand: 'SEGWAY',
        oemCredentialId: credential.id,
      },
    });
    await expect(db.oemCredential.delete({ where: { id: credential.id } })).rejects.toThrow();

    // Deleting the organization still cascades through the credential and the vehicle using it.
    await db.organization.delete({ where: { id: orgA.id } });
    expect(await db.vehicle.count({ where: { organizationId: orgA.id } })).toBe(0);
    expect(await db.oemCredential.count({ where: { organizationId: orgA.id } })).toBe(0);
    await db.organization.delete({ where: { id: orgB.id } });
  });
});
