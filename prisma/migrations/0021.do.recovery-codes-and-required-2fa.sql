-- Two-factor recovery codes (issue 18): a member who loses their authenticator signs in with one
-- of ten single-use codes, shown once when the second factor is turned on (or regenerated) and
-- stored only as keyed hashes (HMAC under the master key, like client secrets). A code is spent
-- by removing its hash from the array in one conditional UPDATE, so two parallel sign-ins cannot
-- both use it.
ALTER TABLE "users"
  ADD COLUMN "recovery_code_hashes" BYTEA[] NOT NULL DEFAULT '{}',
  ADD COLUMN "recovery_codes_key_version" INTEGER,
  ADD COLUMN "recovery_codes_generated_at" TIMESTAMPTZ(3);

-- An organization may require every member to have a second factor before using its console.
ALTER TABLE "organizations" ADD COLUMN "require_two_factor" BOOLEAN NOT NULL DEFAULT false;
