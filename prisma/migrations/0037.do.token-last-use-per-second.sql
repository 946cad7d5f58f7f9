-- Issue 16 (token throughput): the token audit batch rewrote the credential's and the account's
-- row (last used at / from) on every batch; under load one busy client's rows were updated
-- hundreds of times a second, each a new row version and its WAL. Now a row is rewritten only
-- when its last use moves by a second or more, or comes from another address. Same signature,
-- locks and answer as in 0010; only the last-use UPDATEs' conditions changed.
CREATE OR REPLACE FUNCTION "latchkey_append_token_events"(
  lock_namespace INT,
  chain_keys TEXT[],
  chain_orgs TEXT[],
  expected_hashes TEXT[],
  genesis_hash TEXT,
  e_organization_id TEXT[], e_seq BIGINT[], e_occurred_at TIMESTAMPTZ[], e_actor_type "actor_type"[],
  e_actor_id TEXT[], e_actor_label TEXT[], e_action TEXT[], e_target_type TEXT[], e_target_id TEXT[],
  e_outcome "audit_outcome"[], e_ip TEXT[], e_user_agent TEXT[], e_request_id TEXT[], e_details JSONB[],
  e_prev_hash TEXT[], e_hash TEXT[],
  secret_ids TEXT[], secret_at TIMESTAMPTZ[], secret_ip TEXT[],
  key_pair_ids TEXT[], key_pair_at TIMESTAMPTZ[], key_pair_ip TEXT[],
  pair_ids TEXT[], pair_at TIMESTAMPTZ[], pair_ip TEXT[],
  account_ids TEXT[], account_at TIMESTAMPTZ[],
  guard_secret_ids TEXT[], guard_fingerprints TEXT[],
  OUT ok BOOLEAN, OUT head_seqs BIGINT[], OUT head_hashes TEXT[], OUT stale_guards INT[])
  LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  chains INT := coalesce(array_length(chain_keys, 1), 0);
  last_seq BIGINT;
  last_hash TEXT;
BEGIN
  IF coalesce(array_length(chain_orgs, 1), 0) <> chains OR coalesce(array_length(expected_hashes, 1), 0) <> chains THEN
    RAISE EXCEPTION 'latchkey_append_token_events: chain arrays differ in length' USING ERRCODE = '22023';
  END IF;
  -- Row locks first, in the one order every writer follows (lib/service-accounts/lock-account.ts):
  -- accounts, then client secrets, key pairs and client token pairs, each by id; the chain lock
  -- last. NO KEY UPDATE, the lock the last-use UPDATEs below take anyway, taken up front.
  PERFORM 1 FROM service_accounts WHERE id = ANY(account_ids) ORDER BY id FOR NO KEY UPDATE;
  PERFORM 1 FROM client_secrets WHERE id = ANY(secret_ids || guard_secret_ids) ORDER BY id FOR NO KEY UPDATE;
  PERFORM 1 FROM key_pairs WHERE id = ANY(key_pair_ids) ORDER BY id FOR NO KEY UPDATE;
  PERFORM 1 FROM client_token_pairs WHERE id = ANY(pair_ids) ORDER BY id FOR NO KEY UPDATE;
  FOR i IN 1 .. chains LOOP
    PERFORM pg_advisory_xact_lock(lock_namespace, hashtext(chain_keys[i]));
  END LOOP;
  ok := true;
  stale_guards := '{}';
  head_seqs := '{}';
  head_hashes := '{}';
  FOR i IN 1 .. chains LOOP
    IF chain_orgs[i] IS NULL THEN
      SELECT a.seq, a.hash INTO last_seq, last_hash FROM audit_events a WHERE a.organization_id IS NULL ORDER BY a.seq DESC LIMIT 1;
    ELSE
      SELECT a.seq, a.hash INTO last_seq, last_hash FROM audit_events a WHERE a.organization_id = chain_orgs[i] ORDER BY a.seq DESC LIMIT 1;
    END IF;
    IF NOT FOUND THEN
      last_seq := 0;
      last_hash := genesis_hash;
    END IF;
    head_seqs := head_seqs || last_seq;
    head_hashes := head_hashes || last_hash;
    IF expected_hashes[i] IS DISTINCT FROM last_hash THEN
      ok := false;
    END IF;
  END LOOP;
  IF NOT ok THEN
    RETURN;
  END IF;
  SELECT coalesce(array_agg(g.i::int ORDER BY g.i), '{}') INTO stale_guards
    FROM unnest(guard_secret_ids, guard_fingerprints) WITH ORDINALITY AS g(id, fingerprint, i)
    LEFT JOIN latchkey_client_secret_principals p ON p.credential_id = g.id
    WHERE p.fingerprint IS DISTINCT FROM g.fingerprint;
  IF cardinality(stale_guards) > 0 THEN
    ok := false;
    RETURN;
  END IF;

  INSERT INTO audit_events (organization_id, seq, occurred_at, actor_type, actor_id, actor_label, action, target_type, target_id, outcome, ip, user_agent, request_id, details, prev_hash, hash)
  SELECT * FROM unnest(e_organization_id, e_seq, e_occurred_at, e_actor_type, e_actor_id, e_actor_label, e_action, e_target_type, e_target_id,
                       e_outcome, e_ip, e_user_agent, e_request_id, e_details, e_prev_hash, e_hash);

  -- Last use: only ever moved forward (two instances may stamp the same credential), and only
  -- when it moves by a second or more or comes from another address: a busy client's rows are
  -- rewritten about once a second instead of once per batch (last used at is shown to the
  -- second; the address is always the latest).
  UPDATE client_secrets AS t SET last_used_at = v.at, last_used_ip = v.ip
    FROM unnest(secret_ids, secret_at, secret_ip) AS v(id, at, ip)
    WHERE t.id = v.id AND (t.last_used_at IS NULL OR t.last_used_at <= v.at - interval '1 second'
                           OR (t.last_used_at < v.at AND t.last_used_ip IS DISTINCT FROM v.ip));
  UPDATE key_pairs AS t SET last_used_at = v.at, last_used_ip = v.ip
    FROM unnest(key_pair_ids, key_pair_at, key_pair_ip) AS v(id, at, ip)
    WHERE t.id = v.id AND (t.last_used_at IS NULL OR t.last_used_at <= v.at - interval '1 second'
                           OR (t.last_used_at < v.at AND t.last_used_ip IS DISTINCT FROM v.ip));
  UPDATE client_token_pairs AS t SET last_used_at = v.at, last_used_ip = v.ip
    FROM unnest(pair_ids, pair_at, pair_ip) AS v(id, at, ip)
    WHERE t.id = v.id AND (t.last_used_at IS NULL OR t.last_used_at <= v.at - interval '1 second'
                           OR (t.last_used_at < v.at AND t.last_used_ip IS DISTINCT FROM v.ip));
  UPDATE service_accounts AS t SET last_used_at = v.at
    FROM unnest(account_ids, account_at) AS v(id, at)
    WHERE t.id = v.id AND (t.last_used_at IS NULL OR t.last_used_at <= v.at - interval '1 second');
END
$$;
