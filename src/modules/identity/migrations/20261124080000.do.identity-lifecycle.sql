-- Identity lifecycle (IAM-05, IAM-06, IAM-07, IAM-09, IAM-11): enrolment links, elevation windows,
-- login throttling per IP, service tokens for ingestion clients.
ALTER TABLE identity.users ADD COLUMN enrolled_at timestamptz;
ALTER TABLE identity.users ADD COLUMN access_revoked_at timestamptz;
ALTER TABLE identity.users ADD COLUMN offboarded_by uuid REFERENCES identity.users (id);
CREATE INDEX users_offboarded_by_idx ON identity.users (offboarded_by);
CREATE INDEX users_departure_idx ON identity.users (departure_at) WHERE departure_at IS NOT NULL AND offboarded_at IS NULL;
-- Accounts created by setup or init are enrolled from the start.
UPDATE identity.users SET enrolled_at = created_at WHERE status = 'active';

CREATE TABLE identity.enrollment_tokens (
  id                  uuid        PRIMARY KEY,
  token_hash          bytea       NOT NULL UNIQUE,
  user_id             uuid        NOT NULL REFERENCES identity.users (id),
  created_by          uuid        REFERENCES identity.users (id),
  created_at          timestamptz NOT NULL,
  expires_at          timestamptz NOT NULL,
  pending_totp_sealed bytea,
  consumed_at         timestamptz,
  revoked_at          timestamptz
);
CREATE INDEX enrollment_tokens_user_idx ON identity.enrollment_tokens (user_id);
CREATE INDEX enrollment_tokens_created_by_idx ON identity.enrollment_tokens (created_by);

ALTER TABLE identity.sessions ADD COLUMN elevated_until timestamptz;
ALTER TABLE identity.sessions ADD COLUMN is_privileged boolean NOT NULL DEFAULT false;

-- Elevation windows (IAM-09): who, why, when, for how long; the reason is free text so it stays here, not in audit.
CREATE TABLE identity.elevations (
  id         uuid        PRIMARY KEY,
  user_id    uuid        NOT NULL REFERENCES identity.users (id),
  session_id uuid        NOT NULL REFERENCES identity.sessions (id),
  reason     text        NOT NULL,
  via        text        NOT NULL CHECK (via IN ('sign_in', 'explicit')),
  started_at timestamptz NOT NULL,
  ends_at    timestamptz NOT NULL,
  ended_at   timestamptz
);
CREATE INDEX elevations_user_idx ON identity.elevations (user_id, started_at DESC);
CREATE INDEX elevations_session_idx ON identity.elevations (session_id);

-- Failed sign-ins per client IP (keyed hash), for throttling without revealing which limit was hit (IAM-05).
CREATE TABLE identity.login_throttle (
  ip_hash           text        PRIMARY KEY,
  failures          integer     NOT NULL,
  window_started_at timestamptz NOT NULL,
  blocked_until     timestamptz
);

-- Service tokens for ingestion clients: scopes, allowed CIDRs, expiry; only the SHA-256 of the secret is kept.
CREATE TABLE identity.service_tokens (
  id                uuid        PRIMARY KEY,
  name              text        NOT NULL,
  token_hash        bytea       NOT NULL UNIQUE,
  scopes            text[]      NOT NULL,
  allowed_cidrs     text[]      NOT NULL,
  created_by        uuid        NOT NULL REFERENCES identity.users (id),
  created_at        timestamptz NOT NULL,
  expires_at        timestamptz,
  last_used_at      timestamptz,
  last_used_ip_hash text,
  revoked_at        timestamptz,
  revoked_by        uuid        REFERENCES identity.users (id)
);
CREATE INDEX service_tokens_created_by_idx ON identity.service_tokens (created_by);
CREATE INDEX service_tokens_revoked_by_idx ON identity.service_tokens (revoked_by);
