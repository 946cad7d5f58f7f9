-- Issue 18: a rotation links the new client secret to the one it replaces, so the console can
-- say "replaces kid_…" / "replaced by kid_…" and when the old one stops working. Deleting the
-- old secret keeps the new one (the link is dropped).
ALTER TABLE "client_secrets" ADD COLUMN "replaces_id" TEXT;
ALTER TABLE "client_secrets" ADD CONSTRAINT "client_secrets_replaces_id_fkey"
  FOREIGN KEY ("replaces_id") REFERENCES "client_secrets"("id") ON DELETE SET NULL ON UPDATE CASCADE;
CREATE INDEX "client_secrets_replaces_id_idx" ON "client_secrets"("replaces_id");
