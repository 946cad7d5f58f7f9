-- Issue 16 (PostgreSQL work per token): the token audit batch (latchkey_append_token_events) was
-- planned again on every call. PL/pgSQL caches its statements' plans per connection, but each
-- takes PostgreSQL's default plan_cache_mode (auto): custom plans for the first five executions,
-- then a generic plan only if its estimated cost is no worse, which for statements over
-- array parameters (= ANY(account_ids), unnest(...)) it never is, so every call re-planned its
-- dozen statements. Measured with pg_stat_user_functions on a single chain: 1.3-1.7 ms of the
-- function per call before, 0.5-0.6 ms after; PostgreSQL CPU per token event at 10 concurrent
-- writers from about 400 to about 200 µs. The generic plans are the right ones here: every
-- statement is a point lookup by primary or unique key, an advisory lock or an insert.
-- Set on the function (not on the connections) so that it holds for every caller and pooler,
-- and nothing else changes plan mode.
ALTER FUNCTION "latchkey_append_token_events"(
  INT, TEXT[], TEXT[], TEXT[], TEXT,
  TEXT[], BIGINT[], TIMESTAMPTZ[], "actor_type"[], TEXT[], TEXT[], TEXT[], TEXT[], TEXT[],
  "audit_outcome"[], TEXT[], TEXT[], TEXT[], JSONB[], TEXT[], TEXT[],
  TEXT[], TIMESTAMPTZ[], TEXT[], TEXT[], TIMESTAMPTZ[], TEXT[], TEXT[], TIMESTAMPTZ[], TEXT[],
  TEXT[], TIMESTAMPTZ[], TEXT[], TEXT[]
) SET plan_cache_mode = force_generic_plan;
