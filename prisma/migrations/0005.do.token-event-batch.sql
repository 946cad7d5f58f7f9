-- The token service's group commit (lib/oauth/usage-log.ts) in one statement, so that a batch
-- of token audit events costs one round trip and one implicit transaction instead of four
-- pipelined statements (BEGIN, lock, write, COMMIT).
--
-- The caller chains and hashes the events itself (lib/audit/hash-chain.ts, the same code as
-- every other writer) onto the last link it expects for each chain. The function takes each
-- chain's advisory lock (the lock recordAuditEvent takes, in the caller's order), then reads
-- each chain's actual last link: each statement of a VOLATILE function sees every commit made
-- before it started, so these reads see every append that finished before the lock was ours.
-- If any chain moved on (another instance or a console action appended), it writes nothing
-- and answers ok = false with the actual last links, for the caller to chain again. If a client
-- secret's fingerprint (guard_secret_ids / guard_fingerprints, for issuances decided on a
-- cached copy) changed, it writes nothing and answers ok = false with the positions of those
-- guards in stale_guards. Otherwise it appends the events and stamps the last use of the
-- credentials and accounts. The locks are held to the end of the caller's (implicit)
-- transaction.
-- A client secret as the token service decides on it (lib/oauth/principals.ts reads it from
-- here), with a fingerprint: everything an issuance depends on (the secret's hash, status and
-- expiry; its account's status, allow-list, lifetime, flags and scopes; the organization's
-- slug), hashed. The token service may decide on a copy it read earlier; the batch below then
-- commits the issuance only if the fingerprint is still the same, so a suspension, a disabled
-- secret or a removed scope is never outrun by a cached copy. Last-use stamps are not part of it.
CREATE VIEW "latchkey_client_secret_principals" AS
SELECT c.id AS credential_id, c.status::text AS credential_status, c.expires_at, c.secret_hash AS hash, c.hash_key_version,
       sa.id AS sa_id, sa.organization_id, o.slug AS org_slug, sa.name AS sa_name, sa.status::text AS sa_status, sa.is_admin,
       sa.platform::text AS platform, sa.token_lifetime_seconds, sa.ip_allow_list, sc.scopes,
       md5(ROW(c.status, extract(epoch FROM c.expires_at), encode(c.secret_hash, 'hex'), c.hash_key_version, c.service_account_id,
               sa.organization_id, o.slug, sa.name, sa.status, sa.is_admin, sa.platform, sa.token_lifetime_seconds, sa.ip_allow_list,
               sc.scopes)::text) AS fingerprint
FROM client_secrets c
JOIN service_accounts sa ON sa.id = c.service_account_id
JOIN organizations o ON o.id = sa.organization_id
CROSS JOIN LATERAL (
  SELECT COALESCE(array_agg(s.name ORDER BY s.name), '{}') AS scopes
  FROM service_account_scopes sas JOIN scopes s ON s.id = sas.scope_id
  WHERE sas.service_account_id = sa.id) sc;

CREATE FUNCTION "latchkey_append_token_events"(
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

  -- Last use: only ever moved forward (two instances may stamp the same credential).
  UPDATE client_secrets AS t SET last_used_at = v.at, last_used_ip = v.ip
    FROM unnest(secret_ids, secret_at, secret_ip) AS v(id, at, ip)
    WHERE t.id = v.id AND (t.last_used_at IS NULL OR t.last_used_at < v.at);
  UPDATE key_pairs AS t SET last_used_at = v.at, last_used_ip = v.ip
    FROM unnest(key_pair_ids, key_pair_at, key_pair_ip) AS v(id, at, ip)
    WHERE t.id = v.id AND (t.last_used_at IS NULL OR t.last_used_at < v.at);
  UPDATE client_token_pairs AS t SET last_used_at = v.at, last_used_ip = v.ip
    FROM unnest(pair_ids, pair_at, pair_ip) AS v(id, at, ip)
    WHERE t.id = v.id AND (t.last_used_at IS NULL OR t.last_used_at < v.at);
  UPDATE service_accounts AS t SET last_used_at = v.at
    FROM unnest(account_ids, account_at) AS v(id, at)
    WHERE t.id = v.id AND (t.last_used_at IS NULL OR t.last_used_at < v.at);
END
$$;
