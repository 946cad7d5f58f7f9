-- Issue 5: auditor filters. The auditor's page lists events newest first, ordered by
-- (occurred_at, id), with keyset pagination. An index per filter column that ends in that same
-- order lets one range scan answer any page of a filtered listing, however deep, instead of
-- sorting every matching row. They replace the (organization_id, <column>, id) indexes of 0001.

DROP INDEX "audit_events_organization_id_action_id_idx";
DROP INDEX "audit_events_organization_id_actor_id_id_idx";
DROP INDEX "audit_events_organization_id_target_id_id_idx";
DROP INDEX "audit_events_organization_id_outcome_id_idx";

CREATE INDEX "audit_events_organization_id_action_occurred_at_id_idx"
  ON "audit_events"("organization_id", "action", "occurred_at" DESC, "id" DESC);
CREATE INDEX "audit_events_organization_id_actor_id_occurred_at_id_idx"
  ON "audit_events"("organization_id", "actor_id", "occurred_at" DESC, "id" DESC);
CREATE INDEX "audit_events_organization_id_actor_label_occurred_at_id_idx"
  ON "audit_events"("organization_id", "actor_label", "occurred_at" DESC, "id" DESC);
CREATE INDEX "audit_events_organization_id_target_id_occurred_at_id_idx"
  ON "audit_events"("organization_id", "target_id", "occurred_at" DESC, "id" DESC);
CREATE INDEX "audit_events_organization_id_outcome_occurred_at_id_idx"
  ON "audit_events"("organization_id", "outcome", "occurred_at" DESC, "id" DESC);
