-- SIEM streaming of the audit chain (issue 15). One row per destination of one organization's
-- chain: the delivery worker (lib/audit-stream) sends the events after last_acked_seq in seq
-- order and advances it with a conditional UPDATE only after the sink acknowledged, so two
-- workers never double-advance. The instance-wide sink set by environment gets one row per
-- organization (instance_wide), which carries its cursor. Secret settings (OTLP headers) are
-- sealed with the secret box and never returned.
CREATE TYPE "audit_sink_kind" AS ENUM ('OTLP_HTTP', 'SYSLOG_TCP', 'NDJSON_FILE');
CREATE TYPE "audit_sink_status" AS ENUM ('ACTIVE', 'PAUSED');

CREATE TABLE "audit_sinks" (
  "id" TEXT NOT NULL,
  "organization_id" TEXT NOT NULL,
  "kind" "audit_sink_kind" NOT NULL,
  "name" TEXT NOT NULL DEFAULT '',
  "config" JSONB NOT NULL DEFAULT '{}',
  "secret_enc" BYTEA,
  "enc_key_version" INTEGER,
  "instance_wide" BOOLEAN NOT NULL DEFAULT false,
  "status" "audit_sink_status" NOT NULL DEFAULT 'ACTIVE',
  "last_acked_seq" BIGINT NOT NULL DEFAULT 0,
  "last_acked_hash" CHAR(64) NOT NULL DEFAULT '0000000000000000000000000000000000000000000000000000000000000000',
  "last_checkpoint_seq" BIGINT NOT NULL DEFAULT 0,
  "last_checkpoint_at" TIMESTAMPTZ(3),
  "checkpoint_every_events" INTEGER NOT NULL DEFAULT 1000,
  "checkpoint_every_seconds" INTEGER NOT NULL DEFAULT 300,
  "consecutive_failures" INTEGER NOT NULL DEFAULT 0,
  "next_attempt_at" TIMESTAMPTZ(3),
  "last_error" TEXT,
  "last_error_at" TIMESTAMPTZ(3),
  "last_delivered_at" TIMESTAMPTZ(3),
  "created_by_id" TEXT,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updated_at" TIMESTAMPTZ(3) NOT NULL,
  CONSTRAINT "audit_sinks_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "audit_sinks_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "audit_sinks_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE,
  CONSTRAINT "audit_sinks_last_acked_seq" CHECK ("last_acked_seq" >= 0),
  CONSTRAINT "audit_sinks_checkpoint_every_events" CHECK ("checkpoint_every_events" BETWEEN 1 AND 100000),
  CONSTRAINT "audit_sinks_checkpoint_every_seconds" CHECK ("checkpoint_every_seconds" BETWEEN 1 AND 86400),
  CONSTRAINT "audit_sinks_consecutive_failures" CHECK ("consecutive_failures" >= 0),
  CONSTRAINT "audit_sinks_secret" CHECK (("secret_enc" IS NULL) = ("enc_key_version" IS NULL)),
  -- A file on the server is only ever the operator's choice (environment), never an org admin's.
  CONSTRAINT "audit_sinks_file_instance_only" CHECK ("kind" <> 'NDJSON_FILE' OR "instance_wide")
);
CREATE INDEX "audit_sinks_organization_id_idx" ON "audit_sinks"("organization_id");
CREATE INDEX "audit_sinks_created_by_id_idx" ON "audit_sinks"("created_by_id");
-- The instance-wide sink has one cursor row per organization and kind.
CREATE UNIQUE INDEX "audit_sinks_instance_wide_key" ON "audit_sinks"("organization_id", "kind") WHERE "instance_wide";

-- The audit-sink management scope joins every existing organization's catalog (new
-- organizations get it from lib/scopes/catalog.ts); reading sinks is read:audit's.
INSERT INTO "scopes" ("id", "organization_id", "name", "description", "is_management", "created_at", "updated_at")
SELECT 'scp_' || (
         SELECT string_agg(substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', 1 + floor(random() * 32)::int, 1), '')
         FROM generate_series(1, 26) WHERE o.id IS NOT NULL
       ),
       o.id, 'manage:audit_sinks', 'Manage audit streaming to SIEM sinks', true, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP
FROM "organizations" o
ON CONFLICT ("organization_id", "name") DO NOTHING;
