-- Issue 18: an organization defines, renames and retires its own scopes and roles. A retired
-- scope or role stays on the record (accounts that hold it keep the grant, shown as retired, so
-- that restoring it brings it back), but it is granted to nobody new, and it has no effect:
-- a retired scope is put into no new token and no longer counts at introspection; a retired role
-- no longer lets a token be narrowed to a project.
ALTER TABLE "scopes" ADD COLUMN "retired_at" TIMESTAMPTZ(3);
ALTER TABLE "roles" ADD COLUMN "retired_at" TIMESTAMPTZ(3);

-- The client secrets' view (0040) leaves retired scopes out of an account's scopes, and so its
-- fingerprint changes when a held scope is retired or restored: an issuance decided on a cached
-- copy from before is never committed (the token audit batch compares fingerprints), so a
-- retirement holds from the next request on, on every instance. Same columns, same order.
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
  WHERE sas.service_account_id = sa.id AND s.retired_at IS NULL) sc;
