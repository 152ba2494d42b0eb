-- Append-only, hash-chained audit log (LOG-01, LOG-02). Entries are never updated or deleted by the
-- application; triggers refuse it even for sessions with session_replication_role = replica (ENABLE ALWAYS).
CREATE TABLE audit.entries (
  seq         bigint      PRIMARY KEY CHECK (seq > 0),
  at          timestamptz NOT NULL,
  action      text        NOT NULL,
  outcome     text        NOT NULL CHECK (outcome IN ('success', 'failure', 'denied')),
  actor_type  text        NOT NULL CHECK (actor_type IN ('user', 'service', 'system', 'host_operator', 'anonymous')),
  actor_id    uuid,
  target_type text,
  target_id   text,
  ip_hash     text,
  request_id  text,
  details     jsonb       NOT NULL DEFAULT '{}'::jsonb,
  prev_hash   bytea       NOT NULL CHECK (length(prev_hash) = 32),
  hash        bytea       NOT NULL CHECK (length(hash) = 32)
);

CREATE INDEX entries_action_seq_idx ON audit.entries (action, seq DESC);
CREATE INDEX entries_actor_seq_idx ON audit.entries (actor_id, seq DESC);
CREATE INDEX entries_at_idx ON audit.entries (at);

-- The head serialises appends (one total order) and lets verification detect a truncated tail.
CREATE TABLE audit.head (
  id   boolean PRIMARY KEY DEFAULT true CHECK (id),
  seq  bigint  NOT NULL,
  hash bytea   NOT NULL CHECK (length(hash) = 32)
);
INSERT INTO audit.head (id, seq, hash) VALUES (true, 0, decode(repeat('00', 32), 'hex'));

CREATE FUNCTION audit.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit.entries is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER entries_refuse_update_delete BEFORE UPDATE OR DELETE ON audit.entries
  FOR EACH ROW EXECUTE FUNCTION audit.refuse_change();
CREATE TRIGGER entries_refuse_truncate BEFORE TRUNCATE ON audit.entries
  FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();
ALTER TABLE audit.entries ENABLE ALWAYS TRIGGER entries_refuse_update_delete;
ALTER TABLE audit.entries ENABLE ALWAYS TRIGGER entries_refuse_truncate;

-- The head may only move forward, one entry at a time.
CREATE FUNCTION audit.head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'UPDATE' OR NEW.seq <= OLD.seq THEN
    RAISE EXCEPTION 'audit.head only moves forward' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER head_forward_only BEFORE UPDATE OR DELETE ON audit.head
  FOR EACH ROW EXECUTE FUNCTION audit.head_forward_only();
CREATE TRIGGER head_refuse_truncate BEFORE TRUNCATE ON audit.head
  FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();
ALTER TABLE audit.head ENABLE ALWAYS TRIGGER head_forward_only;
ALTER TABLE audit.head ENABLE ALWAYS TRIGGER head_refuse_truncate;
