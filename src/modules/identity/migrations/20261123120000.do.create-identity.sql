-- Identity: accounts, credentials, MFA, sessions (IAM-01, IAM-03, IAM-04, IAM-05, IAM-06, IAM-07, IAM-10, IAM-11).
-- Columns for lockout, approval, inactivity and offboarding are laid down now; the identity issue fills them.
CREATE TABLE identity.users (
  id                  uuid        PRIMARY KEY,
  email               text        NOT NULL,
  email_normalized    text        NOT NULL UNIQUE,
  name                text        NOT NULL,
  status              text        NOT NULL CHECK (status IN ('pending_approval', 'approved', 'active', 'locked', 'disabled', 'offboarded')),
  created_at          timestamptz NOT NULL,
  created_by          uuid        REFERENCES identity.users (id),
  approved_by         uuid        REFERENCES identity.users (id),
  approved_at         timestamptz,
  activated_at        timestamptz,
  last_login_at       timestamptz,
  last_activity_at    timestamptz,
  failed_login_count  integer     NOT NULL DEFAULT 0,
  lockout_level       integer     NOT NULL DEFAULT 0,
  locked_until        timestamptz,
  lock_reason         text,
  password_changed_at timestamptz,
  mfa_changed_at      timestamptz,
  departure_at        timestamptz,
  offboarded_at       timestamptz
);
CREATE INDEX users_created_by_idx ON identity.users (created_by);
CREATE INDEX users_approved_by_idx ON identity.users (approved_by);
CREATE INDEX users_status_idx ON identity.users (status);

-- Every password ever set, newest current: the history that IAM-10's no-reuse rule checks.
CREATE TABLE identity.password_credentials (
  id         uuid        PRIMARY KEY,
  user_id    uuid        NOT NULL REFERENCES identity.users (id),
  hash       text        NOT NULL,
  created_at timestamptz NOT NULL,
  is_current boolean     NOT NULL
);
CREATE INDEX password_credentials_user_idx ON identity.password_credentials (user_id, created_at DESC);
CREATE UNIQUE INDEX password_credentials_one_current ON identity.password_credentials (user_id) WHERE is_current;

-- TOTP secrets are sealed (AES-256-GCM, AAD = user id); last_used_step makes a code single-use.
CREATE TABLE identity.totp_credentials (
  id             uuid        PRIMARY KEY,
  user_id        uuid        NOT NULL UNIQUE REFERENCES identity.users (id),
  secret_sealed  bytea       NOT NULL,
  last_used_step bigint      NOT NULL DEFAULT 0,
  created_at     timestamptz NOT NULL
);

-- Sessions: the cookie holds a random token; only its SHA-256 is stored. `id` is the public handle.
CREATE TABLE identity.sessions (
  id              uuid        PRIMARY KEY,
  token_hash      bytea       NOT NULL UNIQUE,
  user_id         uuid        NOT NULL REFERENCES identity.users (id),
  created_at      timestamptz NOT NULL,
  last_seen_at    timestamptz NOT NULL,
  idle_expires_at timestamptz NOT NULL,
  expires_at      timestamptz NOT NULL,
  mfa_at          timestamptz NOT NULL,
  ip_hash         text,
  ended_at        timestamptz,
  end_reason      text CHECK (end_reason IN ('logout', 'replaced', 'expired', 'revoked', 'locked', 'offboarded'))
);
CREATE INDEX sessions_user_live_idx ON identity.sessions (user_id) WHERE ended_at IS NULL;

-- Between the password step and the second factor.
CREATE TABLE identity.login_challenges (
  id          uuid        PRIMARY KEY,
  token_hash  bytea       NOT NULL UNIQUE,
  user_id     uuid        NOT NULL REFERENCES identity.users (id),
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL,
  attempts    integer     NOT NULL DEFAULT 0,
  consumed_at timestamptz
);
CREATE INDEX login_challenges_user_idx ON identity.login_challenges (user_id);

-- One-time first-run setup links; a new one revokes the previous.
CREATE TABLE identity.setup_tokens (
  id                  uuid        PRIMARY KEY,
  token_hash          bytea       NOT NULL UNIQUE,
  created_at          timestamptz NOT NULL,
  expires_at          timestamptz NOT NULL,
  pending_totp_sealed bytea,
  consumed_at         timestamptz,
  revoked_at          timestamptz
);
