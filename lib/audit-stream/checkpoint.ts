import 'server-only';
import { issuerUrl } from '@/lib/issuer';
import { activeSigningKey } from '@/lib/signing-keys/signing-keys';
import { signEs256 } from '@/lib/tokens/jws';
import { CHECKPOINT_TYP } from './checkpoint-typ';
import type { CheckpointClaims, StreamCheckpointRecord } from './records';

/**
 * signCheckpoint states that the organization's chain had `headHash` at `seq`, as a compact JWS
 * (ES256) under the signing key of the access tokens, whose kid /.well-known/jwks.json publishes.
 */
export async function signCheckpoint(
  organizationId: string,
  seq: bigint,
  headHash: string,
  time: Date,
): Promise<StreamCheckpointRecord> {
  const { kid, key } = await activeSigningKey();
  const claims: CheckpointClaims = {
    iss: issuerUrl(),
    org: organizationId,
    seq: seq.toString(),
    head: headHash,
    iat: Math.floor(time.getTime() / 1000),
  };
  return {
    type: 'checkpoint',
    id: `${organizationId}:checkpoint:${seq}`,
    organization_id: organizationId,
    seq: seq.toString(),
    head_hash: headHash,
    time: time.toISOString(),
    jws: signEs256({ typ: CHECKPOINT_TYP, kid }, claims, key),
  };
}
