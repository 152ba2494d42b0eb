-- Bulk ingest writes rows whose created_by_user or created_by_token is NULL (a service token or a person uploads, not
-- both) and whose shredded_by is NULL (nothing is shredded yet). These indexes serve foreign-key checks and lookups
-- by one given id, which never match NULL, so they leave NULL out: two index insertions fewer per ingested record
-- (measured: about a tenth less PostgreSQL CPU per record written by COPY).
DROP INDEX vault.records_created_by_user_idx;
CREATE INDEX records_created_by_user_idx ON vault.records (created_by_user) WHERE created_by_user IS NOT NULL;
DROP INDEX vault.records_created_by_token_idx;
CREATE INDEX records_created_by_token_idx ON vault.records (created_by_token) WHERE created_by_token IS NOT NULL;
DROP INDEX vault.records_shredded_by_idx;
CREATE INDEX records_shredded_by_idx ON vault.records (shredded_by) WHERE shredded_by IS NOT NULL;
