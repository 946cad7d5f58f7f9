-- A refresh token remembers the access token issued with it, so that revoking its family (reuse
-- detection, RFC 7009 revocation of a refresh token) also revokes those access tokens: RFC 7009
-- §2.1 "SHOULD also invalidate all access tokens based on the same authorization grant", and
-- RFC 9700 §4.14.2 (a replayed refresh token means one of the family's holders is an attacker).
ALTER TABLE "refresh_tokens"
  ADD COLUMN "access_jti" TEXT,
  ADD COLUMN "access_expires_at" TIMESTAMPTZ(3),
  ADD CONSTRAINT "refresh_tokens_access_check" CHECK (("access_jti" IS NULL) = ("access_expires_at" IS NULL));
