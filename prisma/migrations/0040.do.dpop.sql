-- Issue 13: DPoP (RFC 9449), sender-constrained tokens.
--
-- A service account may require DPoP: then no token is issued to it without a proof.
ALTER TABLE "service_accounts" ADD COLUMN "require_dpop" BOOLEAN NOT NULL DEFAULT false;

-- A refresh token issued with a proof is bound to the proof's key (its RFC 7638 thumbprint):
-- refreshing it needs a proof signed by the same key.
ALTER TABLE "refresh_tokens" ADD COLUMN "dpop_jkt" TEXT;

-- The jti of every accepted proof, per key, for as long as the proof's iat is acceptable
-- (lib/oauth/dpop.ts claimProofJti, when REDIS_URL is not set): the primary key makes a second
-- use fail on every instance, even for parallel requests.
CREATE TABLE "dpop_proof_jtis" (
    "jkt" TEXT NOT NULL,
    "jti" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "dpop_proof_jtis_pkey" PRIMARY KEY ("jkt", "jti")
);
CREATE INDEX "dpop_proof_jtis_expires_at_idx" ON "dpop_proof_jtis"("expires_at");

-- The client secrets' view (0005) also carries require_dpop, and so does its fingerprint: an
-- issuance decided on a cached copy from before the policy changed is never committed (the
-- token audit batch compares fingerprints), so the policy holds from the next request on, on
-- every instance. The new column goes last, as CREATE OR REPLACE VIEW requires.
CREATE OR REPLACE VIEW "latchkey_client_secret_principals" AS
SELECT c.id AS credential_id, c.status::text AS credential_status, c.expires_at, c.secret_hash AS hash, c.hash_key_version,
       sa.id AS sa_id, sa.organization_id, o.slug AS org_slug, sa.name AS sa_name, sa.status::text AS sa_status, sa.is_admin,
       sa.platform::text AS platform, sa.token_lifetime_seconds, sa.ip_allow_list, sc.scopes,
       md5(ROW(c.status, extract(epoch FROM c.expires_at), encode(c.secret_hash, 'hex'), c.hash_key_version, c.service_account_id,
               sa.organization_id, o.slug, sa.name, sa.status, sa.is_admin, sa.platform, sa.token_lifetime_seconds, sa.ip_allow_list,
               sc.scopes, sa.require_dpop)::text) AS fingerprint,
       sa.require_dpop
FROM client_secrets c
JOIN service_accounts sa ON sa.id = c.service_account_id
JOIN organizations o ON o.id = sa.organization_id
CROSS JOIN LATERAL (
  SELECT COALESCE(array_agg(s.name ORDER BY s.name), '{}') AS scopes
  FROM service_account_scopes sas JOIN scopes s ON s.id = sas.scope_id
  WHERE sas.service_account_id = sa.id) sc;
