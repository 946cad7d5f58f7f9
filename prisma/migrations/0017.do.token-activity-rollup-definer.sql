-- The rollup trigger of 0016 writes audit_token_activity with the rights of the migration's
-- owner (SECURITY DEFINER), so that a least-privilege application role needs only SELECT on the
-- rollup and cannot write counts itself; search_path is pinned to the migration's own, as for
-- every definer function. (A separate migration: 0016 may already be applied somewhere, and
-- postgrator refuses an edited one.)
ALTER FUNCTION "audit_token_activity_add"() SECURITY DEFINER;
ALTER FUNCTION "audit_token_activity_add"() SET search_path FROM CURRENT;
