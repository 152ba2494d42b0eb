-- Role separation with retention (LOG-02, LOG-03). The server's role needs no DELETE on audit.entries: pruning goes
-- through audit.prune_through(), which runs with its owner's rights (the migration role) and deletes only what the
-- newest tombstone covers (the row trigger still checks each entry against its tombstone). A tombstone must also
-- be 90 days old by the database's own clock, so a role that can insert tombstones cannot prune recent entries by
-- claiming a future signing time.
CREATE FUNCTION audit.tombstone_not_inside_retention() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.cutoff > now() - interval '90 days' THEN
    RAISE EXCEPTION 'audit retention: nothing newer than 90 days may be pruned (LOG-03)'
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER tombstones_not_inside_retention BEFORE INSERT ON audit.tombstones
  FOR EACH ROW EXECUTE FUNCTION audit.tombstone_not_inside_retention();
ALTER TABLE audit.tombstones ENABLE ALWAYS TRIGGER tombstones_not_inside_retention;

CREATE FUNCTION audit.prune_through(p_through bigint)
  RETURNS TABLE (entries bigint, checkpoints bigint)
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  t record;
  n_entries bigint;
  n_checkpoints bigint;
BEGIN
  SELECT from_seq, through_seq INTO t FROM audit.tombstones ORDER BY through_seq DESC LIMIT 1;
  IF t IS NULL OR p_through <> t.through_seq THEN
    RAISE EXCEPTION 'audit.prune_through: % is not the newest tombstone', p_through
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  DELETE FROM audit.checkpoints WHERE tree_size <= t.through_seq;
  GET DIAGNOSTICS n_checkpoints = ROW_COUNT;
  DELETE FROM audit.entries WHERE seq >= t.from_seq AND seq <= t.through_seq;
  GET DIAGNOSTICS n_entries = ROW_COUNT;
  RETURN QUERY SELECT n_entries, n_checkpoints;
END;
$$;
