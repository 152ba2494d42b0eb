-- The vault (DAT-01…DAT-06, DAT-09). Personal data exists here only as AES-256-GCM ciphertext under a per-record
-- data key, which is itself wrapped by a root-key version (KEK). Search uses keyed blind indexes. Shredding
-- deletes the data key, the ciphertexts and the indexes and keeps a tombstone without personal data.

-- The third parties records come from (DAT-09). Contact emails are sealed (AAD = owner id).
CREATE TABLE vault.owners (
  id                    uuid        PRIMARY KEY,
  name                  text        NOT NULL,
  contact_emails_sealed bytea       NOT NULL,
  created_by            uuid        REFERENCES identity.users (id),
  created_at            timestamptz NOT NULL
);
CREATE INDEX owners_created_by_idx ON vault.owners (created_by);

CREATE TABLE vault.records (
  id               uuid        PRIMARY KEY,
  owner_id         uuid        NOT NULL REFERENCES vault.owners (id),
  -- keyed hash of the owner's external reference: idempotent ingest without storing the reference
  external_ref_idx bytea,
  dek_wrapped      bytea,
  kek_version      integer,
  dek_version      integer     NOT NULL DEFAULT 1,
  index_version    integer,
  -- one AES-256-GCM ciphertext per field, aligned with field_names (AAD = record id + field + data-key version)
  field_names      text[]      NOT NULL DEFAULT '{}',
  field_ciphertexts bytea[],
  -- keyed blind indexes (HMAC-SHA-256/128 per field key) of the searchable terms; GIN-indexed for && lookups
  bidx             bytea[],
  is_canary        boolean     NOT NULL DEFAULT false,
  created_at       timestamptz NOT NULL,
  created_by_user  uuid        REFERENCES identity.users (id),
  created_by_token uuid        REFERENCES identity.service_tokens (id),
  ingest_id        uuid,
  shredded_at      timestamptz,
  shredded_by      uuid        REFERENCES identity.users (id),
  CHECK ((shredded_at IS NULL) = (dek_wrapped IS NOT NULL)),
  CHECK (shredded_at IS NULL OR (field_ciphertexts IS NULL AND bidx IS NULL))
);
CREATE INDEX records_bidx_idx ON vault.records USING gin (bidx);
CREATE UNIQUE INDEX records_owner_ref_idx ON vault.records (owner_id, external_ref_idx)
  WHERE external_ref_idx IS NOT NULL;
CREATE INDEX records_owner_idx ON vault.records (owner_id);
CREATE INDEX records_kek_version_idx ON vault.records (kek_version) WHERE shredded_at IS NULL;
CREATE INDEX records_created_by_user_idx ON vault.records (created_by_user);
CREATE INDEX records_created_by_token_idx ON vault.records (created_by_token);
CREATE INDEX records_shredded_by_idx ON vault.records (shredded_by);
CREATE INDEX records_ingest_idx ON vault.records (ingest_id);

-- Every reveal: who, which record, when, why (the justification sealed, AAD = reveal id); quotas count these.
CREATE TABLE vault.reveals (
  id                   uuid        PRIMARY KEY,
  record_id            uuid        NOT NULL REFERENCES vault.records (id),
  user_id              uuid        NOT NULL REFERENCES identity.users (id),
  at                   timestamptz NOT NULL,
  purpose              text        NOT NULL,
  justification_sealed bytea       NOT NULL
);
CREATE INDEX reveals_user_at_idx ON vault.reveals (user_id, at DESC);
CREATE INDEX reveals_record_idx ON vault.reveals (record_id);

-- Bulk uploads: size, SHA-256, counts and progress (no content).
CREATE TABLE vault.ingests (
  id           uuid        PRIMARY KEY,
  owner_id     uuid        REFERENCES vault.owners (id),
  format       text        NOT NULL CHECK (format IN ('ndjson', 'csv', 'single')),
  status       text        NOT NULL CHECK (status IN ('running', 'finished', 'failed')),
  lines        integer     NOT NULL DEFAULT 0,
  accepted     integer     NOT NULL DEFAULT 0,
  rejected     integer     NOT NULL DEFAULT 0,
  bytes        bigint      NOT NULL DEFAULT 0,
  sha256       text,
  started_at   timestamptz NOT NULL,
  finished_at  timestamptz,
  created_by_user  uuid    REFERENCES identity.users (id),
  created_by_token uuid    REFERENCES identity.service_tokens (id)
);
CREATE INDEX ingests_owner_idx ON vault.ingests (owner_id);
CREATE INDEX ingests_created_by_user_idx ON vault.ingests (created_by_user);
CREATE INDEX ingests_created_by_token_idx ON vault.ingests (created_by_token);

-- Root-key rotations: one row each; the job re-wraps data keys and rebuilds indexes in batches, resumably.
CREATE TABLE vault.key_rotations (
  id            uuid        PRIMARY KEY,
  from_version  integer     NOT NULL,
  to_version    integer     NOT NULL,
  state         text        NOT NULL CHECK (state IN ('running', 'finished')),
  done          integer     NOT NULL DEFAULT 0,
  total         integer     NOT NULL,
  started_at    timestamptz NOT NULL,
  finished_at   timestamptz,
  started_by    uuid        REFERENCES identity.users (id)
);
CREATE UNIQUE INDEX key_rotations_one_running ON vault.key_rotations (state) WHERE state = 'running';
CREATE INDEX key_rotations_started_by_idx ON vault.key_rotations (started_by);
