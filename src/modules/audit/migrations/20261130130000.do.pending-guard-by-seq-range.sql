-- The guard on audit.pending (rows leave only by being integrated) looked each deleted row up by `at`, which is
-- O(batch²) when many entries share a millisecond. The integrator deletes a batch in the statement that inserts its
-- entries and moves the head past them, so every deleted row must be among the entries just below the head: a range
-- scan of the primary key, O(batch).
CREATE OR REPLACE FUNCTION audit.pending_only_integrated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (SELECT count(*) FROM audit.entries e
       WHERE e.seq > (SELECT seq FROM audit.head) - (SELECT count(*) FROM gone)
         AND e.pending_id IN (SELECT id FROM gone)) <> (SELECT count(*) FROM gone) THEN
    RAISE EXCEPTION 'audit.pending rows leave only by being integrated' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NULL;
END;
$$;
