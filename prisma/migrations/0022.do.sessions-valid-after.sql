-- Console sessions are signed JWTs; they end early only through this stamp (issue 18): a
-- password change, or an owner resetting a member's password or second factor, sets it, and a
-- session signed in before it is no longer accepted (lib/auth/session.ts currentUser).
ALTER TABLE "users" ADD COLUMN "sessions_valid_after" TIMESTAMPTZ(3);
