-- "Federated credential refused" lifecycle events (issue 14), throttled off the token path: the
-- token service only appends its token.refused audit events (which the rollup of migration 0016
-- counts per hour and presented client id); a scheduled job reads the rollup's rows of federated
-- credentials (client id fc_…) and emits at most one event per credential and UTC hour. This
-- table is the claim: its primary key makes each (credential, hour) fire exactly once, however
-- many scanners run at once, and it remembers how many refusals the event reported.
CREATE TABLE "federated_refusal_alerts" (
  "credential_id" TEXT NOT NULL,
  "bucket" TIMESTAMPTZ NOT NULL,
  "organization_id" TEXT NOT NULL,
  "refusals" BIGINT NOT NULL,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "federated_refusal_alerts_pkey" PRIMARY KEY ("credential_id", "bucket"),
  CONSTRAINT "federated_refusal_alerts_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "federated_refusal_alerts_refusals" CHECK ("refusals" > 0)
);
CREATE INDEX "federated_refusal_alerts_organization_id_idx" ON "federated_refusal_alerts"("organization_id");

-- The scan reads the last hours of refusals: the rollup's primary key starts with the
-- organization, so a bucket-first index keeps that read to the rows of those hours.
CREATE INDEX "audit_token_activity_refused_bucket_idx" ON "audit_token_activity"("bucket")
  WHERE "action" = 'token.refused';
