import 'server-only';
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { SYSTEM_ACTOR } from '@/lib/audit/actor';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { addMember } from '@/lib/organizations/add-member';
import { createOrganization } from '@/lib/organizations/create-organization';
import { createUser } from '@/lib/users/create-user';
import { verifyAuditChain } from '@/lib/audit/verify-audit-chain';
import { configuredVersions, keyUsage, reencryptSealedValues } from '@/lib/crypto/reencrypt';
import { exportAuditEvents } from '@/lib/audit/export-audit-events';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { describeVerification, loadJwks, verifyStream } from '@/lib/audit-stream/verify-stream';
import { readFile } from 'node:fs/promises';
import type { OrgContext } from '@/lib/auth/context';
import { deleteCredential, setCredentialStatus } from '@/lib/credentials/set-credential-status';
import { createFederatedCredential } from '@/lib/federation/create-federated-credential';
import { listFederatedCredentials, testFederatedToken } from '@/lib/federation/queries';
import { createFederatedCredentialInput, testFederatedTokenInput } from '@/lib/federation/schema';
import {
  cliAuditExport,
  cliAuditInstance,
  cliAuditVerify,
  cliAuditVerifyStream,
  cliFederatedChange,
  cliFederatedCreate,
  cliFederatedList,
  cliFederatedTest,
  cliMemberAdd,
  cliOrgCreate,
  cliUserCreate,
} from './schema';

const META = { requestId: 'cli', ip: null, userAgent: 'latchkey-cli' };

function parse<S extends z.ZodType>(schema: S, args: Record<string, unknown>): z.output<S> {
  const result = schema.safeParse(args);
  if (!result.success) {
    const flat = z.flattenError(result.error);
    throw new AppError('validation_failed', 'Invalid arguments.', {
      fields: { ...flat.fieldErrors, ...(flat.formErrors.length ? { _: flat.formErrors } : {}) } as Record<
        string,
        string[]
      >,
    });
  }
  return result.data;
}

async function orgBySlug(slug: string) {
  const org = await db.organization.findUnique({ where: { slug }, select: { id: true, slug: true, name: true } });
  if (!org) throw new AppError('not_found', `No organization with slug "${slug}".`);
  return org;
}

/**
 * cliContext acts in an organization as the CLI's operator: someone with the database's keys is
 * its owner already, so the context holds the OWNER role; what it changes is audited as
 * `latchkey-cli` (a system actor) like any other change.
 */
async function cliContext(slug: string): Promise<OrgContext> {
  const org = await orgBySlug(slug);
  return {
    orgId: org.id,
    orgSlug: org.slug,
    role: 'OWNER',
    actor: { type: 'SYSTEM', id: null, label: 'latchkey-cli' },
    ...META,
  };
}

async function readInputFile(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    throw new AppError('validation_failed', `Cannot read the ${what} file.`, { fields: { [what]: ['No such file.'] } });
  }
}

/** COMMANDS are the CLI's verbs; each validates its arguments with zod and prints JSON. */
export const COMMANDS: Record<string, (args: Record<string, unknown>) => Promise<unknown>> = {
  'org create': async (args) => {
    const input = parse(cliOrgCreate, args);
    return db.$transaction((tx) => createOrganization(tx, input, SYSTEM_ACTOR, META));
  },
  'org list': async () =>
    (
      await db.organization.findMany({
        select: { id: true, slug: true, name: true, createdAt: true },
        orderBy: { createdAt: 'asc' },
      })
    ).map((o) => ({
      ...o,
      createdAt: o.createdAt.toISOString(),
    })),
  'user create': async (args) => {
    const input = parse(cliUserCreate, args);
    if (Boolean(input.org) !== Boolean(input.role))
      throw new AppError('validation_failed', 'Give --org and --role together.');
    const org = input.org ? await orgBySlug(input.org) : null;
    return db.$transaction(async (tx) => {
      const user = await createUser(tx, input);
      const membership =
        org && input.role
          ? await addMember(tx, { organizationId: org.id, userId: user.id, role: input.role }, SYSTEM_ACTOR, META)
          : null;
      return { ...user, memberships: membership ? [{ org: org?.slug, role: membership.role }] : [] };
    });
  },
  'user list': async () =>
    (
      await db.user.findMany({
        select: {
          id: true,
          email: true,
          name: true,
          createdAt: true,
          memberships: { select: { role: true, organization: { select: { slug: true } } } },
        },
        orderBy: { createdAt: 'asc' },
      })
    ).map((u) => ({
      id: u.id,
      email: u.email,
      name: u.name,
      createdAt: u.createdAt.toISOString(),
      memberships: u.memberships.map((m) => ({ org: m.organization.slug, role: m.role })),
    })),
  'member add': async (args) => {
    const input = parse(cliMemberAdd, args);
    const org = await orgBySlug(input.org);
    const user = await db.user.findUnique({ where: { email: input.email }, select: { id: true } });
    if (!user) throw new AppError('not_found', `No user with email "${input.email}".`);
    return db.$transaction((tx) =>
      addMember(tx, { organizationId: org.id, userId: user.id, role: input.role }, SYSTEM_ACTOR, META),
    );
  },
  'audit verify': async (args) => {
    const input = parse(cliAuditVerify, args);
    const org = await orgBySlug(input.org);
    // Progress on stderr (stdout stays the one JSON result), at most a line a second, and the last.
    let shown = 0;
    const show = (checked: number, total: number) => {
      const pct = total > 0 ? ` (${Math.floor((checked / total) * 100)}%)` : '';
      process.stderr.write(`verified ${checked.toLocaleString('en')} of ${total.toLocaleString('en')} events${pct}\n`);
    };
    const started = performance.now();
    const result = await verifyAuditChain(
      {
        orgId: org.id,
        orgSlug: org.slug,
        role: 'OWNER',
        actor: SYSTEM_ACTOR,
        ...META,
      },
      ({ checked, total }) => {
        if (performance.now() - shown < 1_000 && checked < total) return;
        shown = performance.now();
        show(checked, total);
      },
    );
    const seconds = (performance.now() - started) / 1000;
    process.stderr.write(
      `${result.intact ? 'intact' : 'BROKEN'}: ${result.checked.toLocaleString('en')} events in ${seconds.toFixed(1)} s\n`,
    );
    return result;
  },
  /**
   * The instance chain: events that belong to no organization, above all token refusals whose
   * client or key id is unknown (an organization's own log cannot hold them). Newest first.
   */
  'federated list': async (args) => {
    const input = parse(cliFederatedList, args);
    return listFederatedCredentials(await cliContext(input.org), input.account);
  },
  'federated create': async (args) => {
    const input = parse(cliFederatedCreate, args);
    let body: unknown;
    try {
      body = JSON.parse(await readInputFile(input.policy, 'policy'));
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new AppError('validation_failed', 'The policy file is not JSON.', { fields: { policy: ['Not JSON.'] } });
    }
    const policy = parse(createFederatedCredentialInput, body as Record<string, unknown>);
    return createFederatedCredential(await cliContext(input.org), input.account, policy);
  },
  'federated test': async (args) => {
    const input = parse(cliFederatedTest, args);
    const token = (await readInputFile(input.token, 'token')).trim();
    const test = parse(testFederatedTokenInput, {
      token,
      ...(input.credential ? { credentialId: input.credential } : {}),
    });
    return testFederatedToken(await cliContext(input.org), input.account, test);
  },
  'federated disable': async (args) => {
    const input = parse(cliFederatedChange, args);
    const ctx = await cliContext(input.org);
    return setCredentialStatus(ctx, 'federated_credential', input.account, input.credential, 'DISABLED');
  },
  'federated enable': async (args) => {
    const input = parse(cliFederatedChange, args);
    const ctx = await cliContext(input.org);
    return setCredentialStatus(ctx, 'federated_credential', input.account, input.credential, 'ENABLED');
  },
  'federated delete': async (args) => {
    const input = parse(cliFederatedChange, args);
    await deleteCredential(await cliContext(input.org), 'federated_credential', input.account, input.credential);
    return { deleted: input.credential };
  },
  'keys status': async () => ({
    configured: configuredVersions(),
    current: configuredVersions()[0],
    stillNeeded: await keyUsage(),
  }),
  'keys reencrypt': async () => reencryptSealedValues(),
  'audit instance': async (args) => {
    const input = parse(cliAuditInstance, args);
    const events = await db.auditEvent.findMany({
      where: { organizationId: null },
      orderBy: { seq: 'desc' },
      take: input.limit ?? 50,
      select: { seq: true, occurredAt: true, action: true, outcome: true, ip: true, details: true, requestId: true },
    });
    return events.map((e) => ({ ...e, seq: e.seq.toString(), occurredAt: e.occurredAt.toISOString() }));
  },
  // Offline: reads a capture of the audit stream and a JWKS, touches no database. A result with
  // ok: false makes the CLI exit 1 (scripts/cli.ts).
  'audit verify-stream': async (args) => {
    const input = parse(cliAuditVerifyStream, args);
    let jwks;
    try {
      jwks = await loadJwks(input.jwks);
    } catch (error) {
      throw new AppError('validation_failed', `Cannot read the JWKS: ${(error as Error).message}`);
    }
    const lines = createInterface({ input: createReadStream(input.file), crlfDelay: Infinity });
    const result = await verifyStream(lines, jwks);
    process.stderr.write(`${describeVerification(result)}\n`);
    return result;
  },
  'audit export': async (args) => {
    const input = parse(cliAuditExport, args);
    const org = await orgBySlug(input.org);
    // The total is counted first (an index-only scan) so that progress can say "of how many";
    // the export itself stops at the events that existed when it started, plus its own record.
    const total = (await db.auditEvent.count({ where: { organizationId: org.id } })) + 1;
    const ctx = { orgId: org.id, orgSlug: org.slug, role: 'OWNER' as const, actor: SYSTEM_ACTOR, ...META };
    let shown = 0;
    let events = 0;
    const stream = await exportAuditEvents(ctx, {}, input.format, (exported) => {
      events = exported;
      if (performance.now() - shown < 1_000) return;
      shown = performance.now();
      process.stderr.write(
        `exported ${exported.toLocaleString('en')} of ~${total.toLocaleString('en')} events (${Math.min(100, Math.floor((exported / total) * 100))}%)\n`,
      );
    });
    const file = createWriteStream(input.out, { flags: 'wx' }); // never overwrite an existing file
    await pipeline(Readable.fromWeb(stream as import('node:stream/web').ReadableStream<Uint8Array>), file);
    process.stderr.write(`exported ${events.toLocaleString('en')} events to ${input.out}\n`);
    return { file: input.out, format: input.format, events, bytes: file.bytesWritten };
  },
};
