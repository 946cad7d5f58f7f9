-- Issue 14: credential lifecycle events reach webhooks and e-mail, on pg-boss.
--
-- lifecycle_events is a transactional outbox: a domain change writes its event in its own
-- transaction (lib/events/emit-event.ts), so an event exists exactly when its change committed.
-- The job workers (lib/jobs/) turn undispatched events into webhook deliveries and e-mails.
-- pg-boss keeps its own tables in the schema "pgboss", which it creates and migrates itself.

CREATE TYPE "webhook_status" AS ENUM ('ENABLED', 'DISABLED');
CREATE TYPE "webhook_delivery_status" AS ENUM ('PENDING', 'RETRYING', 'SUCCEEDED', 'FAILED');

CREATE TABLE "webhooks" (
  "id" TEXT NOT NULL,
  "organization_id" TEXT NOT NULL,
  "url" TEXT NOT NULL,
  "description" TEXT NOT NULL DEFAULT '',
  "event_types" TEXT[],
  "secret_enc" BYTEA NOT NULL,
  "enc_key_version" INTEGER NOT NULL,
  "status" "webhook_status" NOT NULL DEFAULT 'ENABLED',
  "consecutive_failures" INTEGER NOT NULL DEFAULT 0,
  "disabled_reason" TEXT,
  "created_by_id" TEXT,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updated_at" TIMESTAMPTZ(3) NOT NULL,
  CONSTRAINT "webhooks_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "webhooks_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "webhooks_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE,
  CONSTRAINT "webhooks_url_https" CHECK ("url" ~ '^https?://'),
  CONSTRAINT "webhooks_consecutive_failures" CHECK ("consecutive_failures" >= 0)
);
CREATE INDEX "webhooks_organization_id_idx" ON "webhooks"("organization_id");
CREATE UNIQUE INDEX "webhooks_id_organization_id_key" ON "webhooks"("id", "organization_id");
CREATE INDEX "webhooks_created_by_id_idx" ON "webhooks"("created_by_id");

CREATE TABLE "lifecycle_events" (
  "id" TEXT NOT NULL,
  "organization_id" TEXT NOT NULL,
  "type" TEXT NOT NULL,
  "payload" JSONB NOT NULL,
  -- Set for an event meant for one webhook only ("send test event"): no fan-out, no e-mail.
  "webhook_id" TEXT,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "dispatched_at" TIMESTAMPTZ(3),
  CONSTRAINT "lifecycle_events_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "lifecycle_events_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "lifecycle_events_webhook_id_organization_id_fkey" FOREIGN KEY ("webhook_id", "organization_id") REFERENCES "webhooks"("id", "organization_id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "lifecycle_events_organization_id_created_at_idx" ON "lifecycle_events"("organization_id", "created_at");
CREATE INDEX "lifecycle_events_webhook_id_idx" ON "lifecycle_events"("webhook_id");
CREATE UNIQUE INDEX "lifecycle_events_id_organization_id_key" ON "lifecycle_events"("id", "organization_id");
-- The dispatcher reads only what is still to dispatch: a small partial index, whatever the history.
CREATE INDEX "lifecycle_events_undispatched_idx" ON "lifecycle_events"("created_at") WHERE "dispatched_at" IS NULL;

CREATE TABLE "webhook_deliveries" (
  "id" TEXT NOT NULL,
  "organization_id" TEXT NOT NULL,
  "webhook_id" TEXT NOT NULL,
  "event_id" TEXT NOT NULL,
  "status" "webhook_delivery_status" NOT NULL DEFAULT 'PENDING',
  "attempts" INTEGER NOT NULL DEFAULT 0,
  "response_status" INTEGER,
  "latency_ms" INTEGER,
  "error" TEXT,
  -- A redelivery asked by hand (the first delivery of an event is false).
  "manual" BOOLEAN NOT NULL DEFAULT false,
  -- When its deliver-webhook job was queued (null: the dispatcher still has to queue it).
  "enqueued_at" TIMESTAMPTZ(3),
  "last_attempt_at" TIMESTAMPTZ(3),
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updated_at" TIMESTAMPTZ(3) NOT NULL,
  CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "webhook_deliveries_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "webhook_deliveries_webhook_id_organization_id_fkey" FOREIGN KEY ("webhook_id", "organization_id") REFERENCES "webhooks"("id", "organization_id") ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "webhook_deliveries_event_id_organization_id_fkey" FOREIGN KEY ("event_id", "organization_id") REFERENCES "lifecycle_events"("id", "organization_id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "webhook_deliveries_webhook_id_created_at_idx" ON "webhook_deliveries"("webhook_id", "created_at");
CREATE INDEX "webhook_deliveries_organization_id_idx" ON "webhook_deliveries"("organization_id");
CREATE INDEX "webhook_deliveries_event_id_idx" ON "webhook_deliveries"("event_id");
CREATE INDEX "webhook_deliveries_unqueued_idx" ON "webhook_deliveries"("created_at") WHERE "enqueued_at" IS NULL;

-- One row per expiry warning sent: the primary key makes each (credential, threshold) fire once,
-- however many scanners run at the same time (the second insert does nothing).
CREATE TABLE "credential_expiry_warnings" (
  "credential_id" TEXT NOT NULL,
  "threshold" TEXT NOT NULL,
  "organization_id" TEXT NOT NULL,
  "credential_expires_at" TIMESTAMPTZ(3) NOT NULL,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "credential_expiry_warnings_pkey" PRIMARY KEY ("credential_id", "threshold"),
  CONSTRAINT "credential_expiry_warnings_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "credential_expiry_warnings_threshold" CHECK ("threshold" IN ('30d', '7d', '1d', 'expired'))
);
CREATE INDEX "credential_expiry_warnings_organization_id_idx" ON "credential_expiry_warnings"("organization_id");

-- The expiry scan is one range query per threshold and credential table: these partial indexes
-- hold only enabled credentials, ordered by expiry, so the scan reads the rows in its window and
-- nothing else, at 100,000 credentials as at 10.
CREATE INDEX "client_secrets_enabled_expires_at_idx" ON "client_secrets"("expires_at") WHERE "status" = 'ENABLED';
CREATE INDEX "key_pairs_enabled_expires_at_idx" ON "key_pairs"("expires_at") WHERE "status" = 'ENABLED';
CREATE INDEX "client_token_pairs_enabled_expires_at_idx" ON "client_token_pairs"("expires_at") WHERE "status" = 'ENABLED';

-- A member may opt out of lifecycle e-mail (owners and admins receive it by default).
ALTER TABLE "memberships" ADD COLUMN "lifecycle_email_opt_out" BOOLEAN NOT NULL DEFAULT false;

-- The webhook management scopes join every existing organization's catalog (new organizations
-- get them from lib/scopes/catalog.ts). Ids have the application's form, scp_ + 26 Crockford
-- base32 characters (random here rather than time-ordered).
INSERT INTO "scopes" ("id", "organization_id", "name", "description", "is_management", "created_at", "updated_at")
SELECT 'scp_' || (
         SELECT string_agg(substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', 1 + floor(random() * 32)::int, 1), '')
         FROM generate_series(1, 26) WHERE o.id IS NOT NULL
       ),
       o.id, s.name, s.description, true, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP
FROM "organizations" o
CROSS JOIN (VALUES
  ('manage:webhooks', 'Manage webhooks, redeliver and send test events'),
  ('read:webhooks', 'Read webhooks and their delivery logs')
) AS s("name", "description")
ON CONFLICT ("organization_id", "name") DO NOTHING;
