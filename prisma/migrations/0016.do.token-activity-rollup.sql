-- Token activity per organization, UTC hour, action and presented client id, maintained with the
-- events instead of counted from them: the console's token chart (lib/audit/queries.ts) read
-- up to 90 days of audit_events (426 ms on 1M events); it now reads at most a few thousand
-- rollup rows whatever the log's size (issue 16).
--
-- A statement-level AFTER INSERT trigger with a transition table aggregates a whole INSERT in
-- one statement, in the inserting transaction: the token service's batch
-- (latchkey_append_token_events), recordAuditEvent and the seeders all go through it, so the
-- rollup cannot drift from the log and a rolled-back insert leaves no count. client_id is the
-- credential id as the token service recorded it (details->>'client_id'; '' when absent); on a
-- refusal it is whatever the caller presented, so it is cut to 200 characters.
--
-- The rollup is derived data, not evidence: the hash chain stays in audit_events, whose
-- append-only trigger (migration 0001) is untouched. Counts only grow (ON CONFLICT adds); the
-- upsert locks one row per (organization, hour, action, client), and every writer of one
-- organization already serializes on its chain's advisory lock, so it adds no lock wait there.
CREATE TABLE "audit_token_activity" (
  "organization_id" TEXT NOT NULL,
  "bucket" TIMESTAMPTZ NOT NULL,
  "action" TEXT NOT NULL,
  "client_id" TEXT NOT NULL,
  "events" BIGINT NOT NULL,
  CONSTRAINT "audit_token_activity_pkey" PRIMARY KEY ("organization_id", "bucket", "action", "client_id")
);

CREATE FUNCTION "audit_token_activity_add"() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO audit_token_activity AS r (organization_id, bucket, action, client_id, events)
  SELECT organization_id, date_trunc('hour', occurred_at, 'UTC'), action, left(coalesce(details->>'client_id', ''), 200), count(*)
  FROM new_events
  WHERE organization_id IS NOT NULL AND action IN ('token.issued', 'token.refused')
  GROUP BY 1, 2, 3, 4
  -- One order for every writer, so that two batches never wait on each other's rows crosswise.
  ORDER BY 1, 2, 3, 4
  ON CONFLICT (organization_id, bucket, action, client_id) DO UPDATE SET events = r.events + excluded.events;
  RETURN NULL;
END
$$;

CREATE TRIGGER "audit_events_token_activity"
  AFTER INSERT ON "audit_events"
  REFERENCING NEW TABLE AS new_events
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_token_activity_add"();

-- Back-fill the events that exist already (the trigger counts only what is inserted from now on;
-- migrations run before the application starts writing).
INSERT INTO audit_token_activity (organization_id, bucket, action, client_id, events)
SELECT organization_id, date_trunc('hour', occurred_at, 'UTC'), action, left(coalesce(details->>'client_id', ''), 200), count(*)
FROM audit_events
WHERE organization_id IS NOT NULL AND action IN ('token.issued', 'token.refused')
GROUP BY 1, 2, 3, 4;
