-- Issue 10 item 9: a refresh-token family has an absolute lifetime. Every rotation used to give
-- the successor a fresh 30-day expiry, so a family that kept rotating lived forever. Each token
-- now carries the moment its family ends (set when the family starts, copied on rotation); its
-- own expires_at is never later than that.
ALTER TABLE "refresh_tokens" ADD COLUMN "family_expires_at" TIMESTAMPTZ(3);
UPDATE "refresh_tokens" r
   SET "family_expires_at" = COALESCE((SELECT f."created_at" FROM "refresh_tokens" f WHERE f."id" = r."family_id"), r."created_at")
                             + interval '90 days';
ALTER TABLE "refresh_tokens" ALTER COLUMN "family_expires_at" SET NOT NULL;
