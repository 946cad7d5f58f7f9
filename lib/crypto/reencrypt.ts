import 'server-only';
import { SYSTEM_ACTOR } from '@/lib/audit/actor';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { db } from '@/lib/db/client';
import { currentMasterKey, masterKeys } from './master-keys';
import { open, seal, sealedKeyVersion } from './secret-box';

/**
 * Every column sealed with the secret box (secret-box.ts), with the context its writer binds as
 * additional data. Table and column names come from this fixed list only (they cannot be bound
 * as parameters). A new sealed column is added here, or master key rotation leaves it behind:
 * lib/crypto/reencrypt.int.test.ts fails for a Bytes column of the schema that is missing here.
 */
export const SEALED_COLUMNS: ReadonlyArray<{
  table: string;
  column: string;
  /** The column recording the sealing key's version, when the table has one. */
  versionColumn: string | null;
  context: (id: string) => string;
}> = [
  {
    table: 'signing_keys',
    column: 'private_key_enc',
    versionColumn: 'enc_key_version',
    context: (id) => `signing_key:${id}`,
  },
  {
    table: 'oem_credentials',
    column: 'client_secret_enc',
    versionColumn: 'enc_key_version',
    context: (id) => `oem_credential:${id}`,
  },
  { table: 'webhooks', column: 'secret_enc', versionColumn: 'enc_key_version', context: (id) => `webhook:${id}` },
  { table: 'users', column: 'totp_secret_enc', versionColumn: null, context: (id) => `user_totp:${id}` },
  { table: 'audit_sinks', column: 'secret_enc', versionColumn: 'enc_key_version', context: (id) => `audit_sink:${id}` },
];

/**
 * Keyed hashes (keyed-hash.ts) cannot be recomputed without the secret, which Latchkey never
 * keeps: a row hashed under an old master key keeps needing that key until it is gone (expired
 * and deleted, or rotated by its owner).
 */
const HASHED_COLUMNS: ReadonlyArray<{ table: string; versionColumn: string }> = [
  { table: 'client_secrets', versionColumn: 'hash_key_version' },
  { table: 'client_token_pairs', versionColumn: 'hash_key_version' },
  { table: 'users', versionColumn: 'recovery_codes_key_version' },
];

const BATCH = 200;

export type ReencryptReport = {
  currentVersion: number;
  /** Sealed values re-encrypted under the current key, per table. */
  reencrypted: Record<string, number>;
  /**
   * Sealed values that did not open with any configured key (a key missing from
   * LATCHKEY_MASTER_KEYS, or a damaged value), per table: left as they are, and counted, so that
   * one bad row neither stops the run nor is silently lost.
   */
  unreadable: Record<string, number>;
  /** What still needs each older version after the run: "version → table → rows". */
  stillNeeded: Record<string, Record<string, number>>;
};

/**
 * reencryptSealedValues re-encrypts every sealed value written under an older master key with
 * the current one (the first of LATCHKEY_MASTER_KEYS), then reports what still needs each older
 * key: after a rotation, an operator adds the new key first, runs this, and removes an old key
 * once nothing needs it. Each row is rewritten only if it still holds the value that was read
 * (a concurrent change wins and is left alone; the next run takes it), in batches of 200, each
 * in its own transaction, so that it runs beside live traffic; running it twice is harmless.
 * The run is audited on the instance chain with its counts (never a value).
 */
export async function reencryptSealedValues(): Promise<ReencryptReport> {
  const current = currentMasterKey().version;
  const reencrypted: Record<string, number> = {};
  const unreadable: Record<string, number> = {};
  for (const spec of SEALED_COLUMNS) {
    let done = 0;
    let bad = 0;
    let after = '';
    for (;;) {
      const rows = await db.$queryRawUnsafe<Array<{ id: string; sealed: Uint8Array }>>(
        `SELECT id, ${spec.column} AS sealed FROM ${spec.table}
         WHERE ${spec.column} IS NOT NULL AND get_byte(${spec.column}, 0) * 256 + get_byte(${spec.column}, 1) <> $1
           AND id > $2
         ORDER BY id LIMIT ${BATCH}`,
        current,
        after,
      );
      if (rows.length === 0) break;
      after = rows[rows.length - 1]!.id;
      const changed = await db.$transaction(async (tx) => {
        let count = 0;
        for (const row of rows) {
          let plain: Buffer;
          try {
            plain = open(row.sealed, spec.context(row.id));
          } catch {
            bad++;
            continue;
          }
          const { sealed } = seal(plain, spec.context(row.id));
          // $1 the new value, $2 the id, $3 the value read: a row changed since is left alone.
          const version = spec.versionColumn ? `, ${spec.versionColumn} = ${current}` : '';
          count += await tx.$executeRawUnsafe(
            `UPDATE ${spec.table} SET ${spec.column} = $1${version} WHERE id = $2 AND ${spec.column} = $3`,
            sealed,
            row.id,
            Buffer.from(row.sealed),
          );
        }
        return count;
      });
      done += changed;
      if (rows.length < BATCH) break;
    }
    reencrypted[spec.table] = (reencrypted[spec.table] ?? 0) + done;
    if (bad > 0) unreadable[spec.table] = bad;
  }
  const stillNeeded = await keyUsage(current);
  await db.$transaction((tx) =>
    recordAuditEvent(tx, {
      organizationId: null,
      actor: SYSTEM_ACTOR,
      action: 'master_key.reencrypted',
      target: { type: 'master_key', id: String(current) },
      outcome: 'SUCCESS',
      meta: { requestId: 'cli', ip: null, userAgent: 'latchkey-cli' },
      details: { current_version: current, reencrypted, unreadable, still_needed: stillNeeded },
    }),
  );
  return { currentVersion: current, reencrypted, unreadable, stillNeeded };
}

/** keyUsage counts, for each master key version other than `current`, the rows that still need it. */
export async function keyUsage(current = currentMasterKey().version): Promise<Record<string, Record<string, number>>> {
  const usage: Record<string, Record<string, number>> = {};
  const add = (version: number, table: string, rows: number) => {
    if (version === current || rows === 0) return;
    const entry = (usage[String(version)] ??= {});
    entry[table] = (entry[table] ?? 0) + rows;
  };
  for (const spec of SEALED_COLUMNS) {
    const rows = await db.$queryRawUnsafe<Array<{ version: number; rows: bigint }>>(
      `SELECT get_byte(${spec.column}, 0) * 256 + get_byte(${spec.column}, 1) AS version, count(*) AS rows
       FROM ${spec.table} WHERE ${spec.column} IS NOT NULL GROUP BY 1`,
    );
    for (const row of rows) add(Number(row.version), spec.table, Number(row.rows));
  }
  for (const spec of HASHED_COLUMNS) {
    const rows = await db.$queryRawUnsafe<Array<{ version: number; rows: bigint }>>(
      `SELECT ${spec.versionColumn} AS version, count(*) AS rows FROM ${spec.table}
       WHERE ${spec.versionColumn} IS NOT NULL GROUP BY 1`,
    );
    for (const row of rows) add(Number(row.version), spec.table, Number(row.rows));
  }
  return usage;
}

/** configuredVersions lists LATCHKEY_MASTER_KEYS' versions, newest first (for the CLI's report). */
export function configuredVersions(): number[] {
  return masterKeys().map((k) => k.version);
}
