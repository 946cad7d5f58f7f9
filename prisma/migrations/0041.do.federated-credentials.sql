-- Issue 12 (workload identity federation): a service account trusts an external issuer (GitHub
-- Actions, GitLab CI, Kubernetes, SPIFFE, any OIDC issuer) under a policy of exact issuer,
-- audience, subject and claim conditions. Nothing secret is stored: only where the issuer's
-- public keys come from (OIDC discovery, a JWKS URL, or a pasted JWKS of public keys).
CREATE TYPE "federated_key_source" AS ENUM ('DISCOVERY', 'JWKS_URI', 'INLINE_JWKS');
CREATE TYPE "subject_match" AS ENUM ('EXACT', 'GLOB');

CREATE TABLE "federated_credentials" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "service_account_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "template" TEXT,
    "issuer" TEXT NOT NULL,
    "key_source" "federated_key_source" NOT NULL,
    "jwks_uri" TEXT,
    "inline_jwks" JSONB,
    "audience" TEXT NOT NULL,
    "subject_match" "subject_match" NOT NULL DEFAULT 'EXACT',
    "subject" TEXT NOT NULL,
    "claim_conditions" JSONB NOT NULL DEFAULT '[]',
    "allowed_algorithms" TEXT[] NOT NULL DEFAULT ARRAY['RS256', 'ES256']::TEXT[],
    "max_token_age_seconds" INTEGER NOT NULL DEFAULT 3600,
    "status" "credential_status" NOT NULL DEFAULT 'ENABLED',
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_by_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "last_used_at" TIMESTAMPTZ(3),
    "last_used_ip" TEXT,
    "tokens_valid_after" TIMESTAMPTZ(3),

    CONSTRAINT "federated_credentials_pkey" PRIMARY KEY ("id"),
    -- The key source names exactly what it needs: a JWKS URL for JWKS_URI, public keys for INLINE_JWKS.
    CONSTRAINT "federated_credentials_key_source_check" CHECK (
      ("key_source" = 'DISCOVERY' AND "jwks_uri" IS NULL AND "inline_jwks" IS NULL) OR
      ("key_source" = 'JWKS_URI' AND "jwks_uri" IS NOT NULL AND "inline_jwks" IS NULL) OR
      ("key_source" = 'INLINE_JWKS' AND "jwks_uri" IS NULL AND "inline_jwks" IS NOT NULL)),
    -- Never `none`, never HMAC (a shared secret is exactly what federation avoids): asymmetric algorithms only.
    CONSTRAINT "federated_credentials_algorithms_check" CHECK (
      cardinality("allowed_algorithms") > 0 AND
      "allowed_algorithms" <@ ARRAY['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA']::TEXT[]),
    CONSTRAINT "federated_credentials_max_age_check" CHECK ("max_token_age_seconds" BETWEEN 60 AND 86400),
    CONSTRAINT "federated_credentials_conditions_check" CHECK (jsonb_typeof("claim_conditions") = 'array')
);

CREATE INDEX "federated_credentials_service_account_id_idx" ON "federated_credentials"("service_account_id");
CREATE INDEX "federated_credentials_organization_id_idx" ON "federated_credentials"("organization_id");
CREATE INDEX "federated_credentials_created_by_id_idx" ON "federated_credentials"("created_by_id");

ALTER TABLE "federated_credentials" ADD CONSTRAINT "federated_credentials_organization_id_fkey"
  FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "federated_credentials" ADD CONSTRAINT "federated_credentials_service_account_id_organization_id_fkey"
  FOREIGN KEY ("service_account_id", "organization_id") REFERENCES "service_accounts"("id", "organization_id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "federated_credentials" ADD CONSTRAINT "federated_credentials_created_by_id_fkey"
  FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
