-- Windows over recent events for the detection engine: by pseudonymised IP and by actor, in time order.
CREATE INDEX entries_ip_at_idx ON audit.entries (ip_hash, at) WHERE ip_hash IS NOT NULL;
CREATE INDEX entries_actor_action_at_idx ON audit.entries (actor_id, action, at) WHERE actor_id IS NOT NULL;
