-- Signed checkpoints (LOG-02): the RFC 6962 Merkle root over entries 1..tree_size and the chain head, signed with
-- Ed25519. The frontier (the roots of the perfect subtrees of the tree, largest first) lets the next checkpoint
-- extend the tree without re-reading the whole log. Append-only like the entries.
CREATE TABLE audit.checkpoints (
  tree_size  bigint      PRIMARY KEY CHECK (tree_size > 0),
  root_hash  bytea       NOT NULL CHECK (length(root_hash) = 32),
  head_hash  bytea       NOT NULL CHECK (length(head_hash) = 32),
  frontier   bytea[]     NOT NULL,
  at         timestamptz NOT NULL,
  key_id     text        NOT NULL,
  signature  bytea       NOT NULL
);
CREATE TRIGGER checkpoints_refuse_update_delete BEFORE UPDATE OR DELETE ON audit.checkpoints
  FOR EACH ROW EXECUTE FUNCTION audit.refuse_change();
CREATE TRIGGER checkpoints_refuse_truncate BEFORE TRUNCATE ON audit.checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();
ALTER TABLE audit.checkpoints ENABLE ALWAYS TRIGGER checkpoints_refuse_update_delete;
ALTER TABLE audit.checkpoints ENABLE ALWAYS TRIGGER checkpoints_refuse_truncate;
