-- Issue 10 item 3: reactivating an account, or enabling a credential again, must never bring
-- back the tokens issued before the suspension or the disable (a suspension is how a stolen
-- token is cut off). Each of these rows keeps the moment from which its tokens count again:
-- set at suspension, revocation and disable, never cleared. lib/tokens/token-state.ts treats a
-- token whose iat (whole seconds) is at or before that second as dead.
ALTER TABLE "service_accounts" ADD COLUMN "tokens_valid_after" TIMESTAMPTZ(3);
ALTER TABLE "client_secrets" ADD COLUMN "tokens_valid_after" TIMESTAMPTZ(3);
ALTER TABLE "key_pairs" ADD COLUMN "tokens_valid_after" TIMESTAMPTZ(3);
ALTER TABLE "client_token_pairs" ADD COLUMN "tokens_valid_after" TIMESTAMPTZ(3);
