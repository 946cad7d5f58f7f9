-- A public key is unique within an organization, not across all of them: a global unique index
-- let one tenant learn that another had registered a given public key (its upload got 409).
DROP INDEX "key_pairs_thumbprint_key";
CREATE UNIQUE INDEX "key_pairs_organization_id_thumbprint_key" ON "key_pairs"("organization_id", "thumbprint");
