-- A TOTP code may be used once: remember the last accepted time step per user.
ALTER TABLE "users" ADD COLUMN "totp_last_step" BIGINT;
