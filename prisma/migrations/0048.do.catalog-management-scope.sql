-- The catalog management scope (projects, environments, scopes and roles through /api/v1) joins
-- every existing organization's catalog; new organizations get it from lib/scopes/catalog.ts.
INSERT INTO "scopes" ("id", "organization_id", "name", "description", "is_management", "created_at", "updated_at")
SELECT 'scp_' || (
         SELECT string_agg(substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', 1 + floor(random() * 32)::int, 1), '')
         FROM generate_series(1, 26) WHERE o.id IS NOT NULL
       ),
       o.id, 'manage:catalog', 'Manage projects, environments, scopes and roles', true, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP
FROM "organizations" o
ON CONFLICT ("organization_id", "name") DO NOTHING;
