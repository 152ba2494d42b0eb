-- Audit trail, second step (LOG-01…LOG-03, DAT-05): an integrator that sequences in batches, retention with
-- signed tombstones, consistency proofs between checkpoints, and IP pseudonym keys that rotate every 30 days.

-- 1. Appends land here, inside the caller's transaction, with no global lock. A single integrator (advisory lock)
--    moves them into audit.entries in batches: it gives each its seq and chains its hash. Rows leave this table
--    only by being integrated: a DELETE of a row that has no entry is refused (statement-level check).
CREATE TABLE audit.pending (
  id          bigserial   PRIMARY KEY,
  at          timestamptz NOT NULL,
  action      text        NOT NULL,
  outcome     text        NOT NULL CHECK (outcome IN ('success', 'failure', 'denied')),
  actor_type  text        NOT NULL CHECK (actor_type IN ('user', 'service', 'system', 'host_operator', 'anonymous')),
  actor_id    uuid,
  target_type text,
  target_id   text,
  ip_hash     text,
  request_id  text,
  details     jsonb       NOT NULL DEFAULT '{}'::jsonb
);

-- Which pending row an entry came from (not indexed: found with `at`, which is). The integrator moves a row with
-- DELETE … RETURNING in the same statement as the INSERT, so a pending row is integrated at most once.
ALTER TABLE audit.entries ADD COLUMN pending_id bigint;

CREATE FUNCTION audit.pending_only_integrated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM gone g
              WHERE NOT EXISTS (SELECT 1 FROM audit.entries e WHERE e.at = g.at AND e.pending_id = g.id)) THEN
    RAISE EXCEPTION 'audit.pending rows leave only by being integrated' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER pending_refuse_update BEFORE UPDATE ON audit.pending
  FOR EACH ROW EXECUTE FUNCTION audit.refuse_change();
CREATE TRIGGER pending_refuse_truncate BEFORE TRUNCATE ON audit.pending
  FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();
CREATE TRIGGER pending_delete_only_integrated AFTER DELETE ON audit.pending
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION audit.pending_only_integrated();
ALTER TABLE audit.pending ENABLE ALWAYS TRIGGER pending_refuse_update;
ALTER TABLE audit.pending ENABLE ALWAYS TRIGGER pending_refuse_truncate;
ALTER TABLE audit.pending ENABLE ALWAYS TRIGGER pending_delete_only_integrated;

-- Everything committed, integrated or not: what the detection engine counts, so a rule sees an event the moment
-- its transaction commits, on every node. One statement sees one snapshot: a row is in one branch, never both.
CREATE VIEW audit.all_entries AS
  SELECT seq, at, action, outcome, actor_type, actor_id, target_type, target_id, ip_hash, request_id, details
    FROM audit.entries
  UNION ALL
  SELECT NULL::bigint, at, action, outcome, actor_type, actor_id, target_type, target_id, ip_hash, request_id, details
    FROM audit.pending;

-- 2. Retention (LOG-03): a tombstone is the signed statement that entries from_seq..through_seq were pruned as
--    retention, with the chain hash and Merkle root/frontier at the cut, so verification resumes after it. The
--    body is kept exactly as signed; the columns beside it let the database itself enforce the rules below.
CREATE TABLE audit.tombstones (
  through_seq    bigint      PRIMARY KEY CHECK (through_seq > 0),
  from_seq       bigint      NOT NULL CHECK (from_seq >= 1 AND from_seq <= through_seq),
  cutoff         timestamptz NOT NULL,
  retention_days integer     NOT NULL CHECK (retention_days BETWEEN 90 AND 180),
  pruned_at      timestamptz NOT NULL,
  body           text        NOT NULL,
  signature      bytea       NOT NULL,
  -- never inside the legal minimum of 90 days, whatever the application asks
  CHECK (cutoff <= pruned_at - interval '90 days')
);
CREATE TRIGGER tombstones_refuse_update_delete BEFORE UPDATE OR DELETE ON audit.tombstones
  FOR EACH ROW EXECUTE FUNCTION audit.refuse_change();
CREATE TRIGGER tombstones_refuse_truncate BEFORE TRUNCATE ON audit.tombstones
  FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();
ALTER TABLE audit.tombstones ENABLE ALWAYS TRIGGER tombstones_refuse_update_delete;
ALTER TABLE audit.tombstones ENABLE ALWAYS TRIGGER tombstones_refuse_truncate;

-- Integrated entries stay immutable; the only DELETE allowed is of an entry a tombstone covers, older than its
-- cutoff. The trigger keeps its name (operators' runbooks and tests refer to it).
CREATE FUNCTION audit.entries_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND EXISTS (
    SELECT 1 FROM audit.tombstones t
     WHERE OLD.seq BETWEEN t.from_seq AND t.through_seq AND OLD.at < t.cutoff
  ) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'audit.entries is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
DROP TRIGGER entries_refuse_update_delete ON audit.entries;
CREATE TRIGGER entries_refuse_update_delete BEFORE UPDATE OR DELETE ON audit.entries
  FOR EACH ROW EXECUTE FUNCTION audit.entries_guard();
ALTER TABLE audit.entries ENABLE ALWAYS TRIGGER entries_refuse_update_delete;

-- 3. Checkpoints carry an RFC 9162 consistency proof from the checkpoint before (unsigned: it is checked against
--    the two signed roots), so they stay verifiable as a chain once the entries under them are pruned. Checkpoints
--    inside a tombstone's range may be deleted with those entries (the tombstone proves consistency from the last
--    of them); any other change is refused.
ALTER TABLE audit.checkpoints ADD COLUMN consistency_from bigint;
ALTER TABLE audit.checkpoints ADD COLUMN consistency bytea[];
CREATE FUNCTION audit.checkpoints_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND OLD.tree_size <= (SELECT coalesce(max(through_seq), 0) FROM audit.tombstones) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'audit.checkpoints is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
DROP TRIGGER checkpoints_refuse_update_delete ON audit.checkpoints;
CREATE TRIGGER checkpoints_refuse_update_delete BEFORE UPDATE OR DELETE ON audit.checkpoints
  FOR EACH ROW EXECUTE FUNCTION audit.checkpoints_guard();
ALTER TABLE audit.checkpoints ENABLE ALWAYS TRIGGER checkpoints_refuse_update_delete;

-- 4. IP/device pseudonym keys (DAT-05): one random key per 30-day epoch, sealed under a key derived from the
--    platform key. Destroying a key (after the retention window) clears key_sealed; nothing else may change.
CREATE TABLE audit.pseudonym_keys (
  epoch        integer     PRIMARY KEY CHECK (epoch >= 0),
  starts_at    timestamptz NOT NULL,
  ends_at      timestamptz NOT NULL CHECK (ends_at > starts_at),
  key_sealed   bytea,
  created_at   timestamptz NOT NULL,
  destroyed_at timestamptz,
  CHECK ((key_sealed IS NULL) = (destroyed_at IS NOT NULL))
);
CREATE FUNCTION audit.pseudonym_keys_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.key_sealed IS NOT NULL AND NEW.key_sealed IS NULL AND NEW.destroyed_at IS NOT NULL
     AND NEW.epoch = OLD.epoch AND NEW.starts_at = OLD.starts_at AND NEW.ends_at = OLD.ends_at
     AND NEW.created_at = OLD.created_at THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit.pseudonym_keys: % refused (a key can only be destroyed)', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER pseudonym_keys_guard BEFORE UPDATE OR DELETE ON audit.pseudonym_keys
  FOR EACH ROW EXECUTE FUNCTION audit.pseudonym_keys_guard();
CREATE TRIGGER pseudonym_keys_refuse_truncate BEFORE TRUNCATE ON audit.pseudonym_keys
  FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();
ALTER TABLE audit.pseudonym_keys ENABLE ALWAYS TRIGGER pseudonym_keys_guard;
ALTER TABLE audit.pseudonym_keys ENABLE ALWAYS TRIGGER pseudonym_keys_refuse_truncate;

-- 5. Signed checkpoints mailed to an outside auditor (LOG-02): one notice per checkpoint, enqueued with it and sent
--    after commit with retries. The address is configuration, read at delivery; it is never stored here.
CREATE TABLE audit.checkpoint_notices (
  tree_size       bigint      PRIMARY KEY,
  status          text        NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
  attempts        integer     NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  last_error      text,
  created_at      timestamptz NOT NULL,
  sent_at         timestamptz
);
CREATE INDEX checkpoint_notices_due_idx ON audit.checkpoint_notices (next_attempt_at) WHERE status = 'pending';
