import 'server-only';
import { decodeJwt } from 'jose';
import type { OrgContext } from '@/lib/auth/context';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { federatedCredentialSelect, toFederatedCredentialDto } from './dto';
import type { FederatedCredentialDto, FederatedTestResultDto, TestFederatedTokenInput } from './schema';
import { verifyFederatedToken } from './verify';

async function assertAccount(ctx: OrgContext, accountId: string): Promise<void> {
  const found = await db.serviceAccount.findFirst({
    where: { id: accountId, organizationId: ctx.orgId },
    select: { id: true },
  });
  // 404 rather than 403: another organization's account must look exactly like a missing one.
  if (!found) throw new AppError('not_found', 'Service account not found.');
}

/** listFederatedCredentials lists an account's federated credentials; not_found outside the caller's organization. */
export async function listFederatedCredentials(ctx: OrgContext, accountId: string): Promise<FederatedCredentialDto[]> {
  await assertAccount(ctx, accountId);
  const now = new Date();
  const rows = await db.federatedCredential.findMany({
    where: { serviceAccountId: accountId, organizationId: ctx.orgId },
    select: federatedCredentialSelect,
    orderBy: [{ status: 'asc' }, { createdAt: 'desc' }],
  });
  return rows.map((r) => toFederatedCredentialDto(r, now));
}

function readableClaims(token: string): FederatedTestResultDto['claims'] {
  try {
    const c = decodeJwt(token);
    const aud = typeof c.aud === 'string' || Array.isArray(c.aud) ? c.aud : null;
    return {
      iss: typeof c.iss === 'string' ? c.iss : null,
      sub: typeof c.sub === 'string' ? c.sub : null,
      aud,
      iat: typeof c.iat === 'number' ? c.iat : null,
      exp: typeof c.exp === 'number' ? c.exp : null,
    };
  } catch {
    return null;
  }
}

/**
 * testFederatedToken is the dry-run tester: it runs the real validator (keys fetched, signature
 * and every claim checked) of each of the account's federated credentials, or of the one
 * named, on a pasted token, and says which policy would accept it and which check fails for
 * the others. Nothing is issued, stored or audited, and the token is not kept or logged; a
 * policy that accepts the token but is disabled or expired is reported as not accepting it.
 * not_found for an account or credential outside the caller's organization.
 */
export async function testFederatedToken(
  ctx: OrgContext,
  accountId: string,
  input: TestFederatedTokenInput,
): Promise<FederatedTestResultDto> {
  await assertAccount(ctx, accountId);
  const rows = await db.federatedCredential.findMany({
    where: {
      serviceAccountId: accountId,
      organizationId: ctx.orgId,
      ...(input.credentialId ? { id: input.credentialId } : {}),
    },
    select: federatedCredentialSelect,
    orderBy: [{ status: 'asc' }, { createdAt: 'desc' }],
  });
  if (input.credentialId && rows.length === 0) throw new AppError('not_found', 'Federated credential not found.');
  const now = new Date();
  const results: FederatedTestResultDto['results'] = [];
  for (const row of rows) {
    const dto = toFederatedCredentialDto(row, now);
    const verdict = await verifyFederatedToken(input.token, { ...dto, inlineJwks: row.inlineJwks }, now.getTime());
    const checks = [...verdict.checks];
    let reason = verdict.ok ? null : `federated_${verdict.reason}`;
    if (dto.status !== 'ENABLED') {
      checks.push({ check: 'status', ok: false, detail: 'The credential is disabled.' });
      reason ??= 'credential_disabled';
    } else if (dto.expired) {
      checks.push({ check: 'status', ok: false, detail: 'The credential has expired.' });
      reason ??= 'credential_expired';
    }
    results.push({
      credentialId: dto.id,
      name: dto.name,
      status: dto.status,
      expired: dto.expired,
      accepted: reason === null,
      reason,
      checks,
    });
  }
  return {
    matched: results.find((r) => r.accepted)?.credentialId ?? null,
    claims: readableClaims(input.token),
    results,
  };
}
