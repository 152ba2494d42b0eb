-- Additional second factors (IAM-03): passkeys (WebAuthn L2), SMS one-time codes, recovery codes.
-- No row here is a usable secret: public keys, keyed MACs of codes, hashes of challenges, and sealed
-- (AES-256-GCM) phone numbers and dev-outbox messages.

-- Passkeys. credential_id is the authenticator's id (base64url); sign_count guards against cloned keys.
CREATE TABLE identity.webauthn_credentials (
  id            uuid        PRIMARY KEY,
  user_id       uuid        NOT NULL REFERENCES identity.users (id),
  credential_id text        NOT NULL UNIQUE,
  public_key    bytea       NOT NULL,
  sign_count    bigint      NOT NULL DEFAULT 0,
  transports    text[]      NOT NULL DEFAULT '{}',
  label         text        NOT NULL CHECK (char_length(label) BETWEEN 1 AND 64),
  aaguid        text        NOT NULL,
  device_type   text        NOT NULL CHECK (device_type IN ('singleDevice', 'multiDevice')),
  is_backed_up  boolean     NOT NULL,
  created_at    timestamptz NOT NULL,
  last_used_at  timestamptz
);
CREATE INDEX webauthn_credentials_user_idx ON identity.webauthn_credentials (user_id);

-- Ceremony challenges: 5 minutes, single use (consumed_at is set by the first answer, right or wrong).
CREATE TABLE identity.webauthn_challenges (
  id             uuid        PRIMARY KEY,
  user_id        uuid        NOT NULL REFERENCES identity.users (id),
  purpose        text        NOT NULL CHECK (purpose IN ('registration', 'authentication')),
  challenge_hash bytea       NOT NULL UNIQUE,
  created_at     timestamptz NOT NULL,
  expires_at     timestamptz NOT NULL,
  consumed_at    timestamptz
);
CREATE INDEX webauthn_challenges_user_idx ON identity.webauthn_challenges (user_id);
CREATE INDEX webauthn_challenges_expires_idx ON identity.webauthn_challenges (expires_at);

-- Recovery codes: HMAC-SHA-256 under a server-held key, bound to the user; a new set deletes the old one.
CREATE TABLE identity.recovery_codes (
  id         uuid        PRIMARY KEY,
  user_id    uuid        NOT NULL REFERENCES identity.users (id),
  code_mac   bytea       NOT NULL,
  created_at timestamptz NOT NULL,
  used_at    timestamptz
);
-- Leading user_id also serves as the foreign-key index.
CREATE UNIQUE INDEX recovery_codes_user_mac_idx ON identity.recovery_codes (user_id, code_mac);

-- Phone numbers for SMS codes, sealed with AAD = user id + row id. 'pending' until a code sent to it is confirmed.
CREATE TABLE identity.sms_phones (
  id           uuid        PRIMARY KEY,
  user_id      uuid        NOT NULL REFERENCES identity.users (id),
  phone_sealed bytea       NOT NULL,
  status       text        NOT NULL CHECK (status IN ('pending', 'active')),
  created_at   timestamptz NOT NULL,
  confirmed_at timestamptz,
  last_used_at timestamptz
);
CREATE INDEX sms_phones_user_idx ON identity.sms_phones (user_id);
CREATE UNIQUE INDEX sms_phones_one_active_idx ON identity.sms_phones (user_id) WHERE status = 'active';
CREATE UNIQUE INDEX sms_phones_one_pending_idx ON identity.sms_phones (user_id) WHERE status = 'pending';

-- SMS one-time codes (HMAC only). Rows outlive a removed phone (phone_id set to NULL, code then dead) so the
-- per-user send rate limit cannot be reset by removing and re-adding a number.
CREATE TABLE identity.sms_codes (
  id          uuid        PRIMARY KEY,
  user_id     uuid        NOT NULL REFERENCES identity.users (id),
  phone_id    uuid        REFERENCES identity.sms_phones (id) ON DELETE SET NULL,
  purpose     text        NOT NULL CHECK (purpose IN ('enrolment', 'login')),
  code_mac    bytea       NOT NULL,
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL,
  attempts    integer     NOT NULL DEFAULT 0,
  consumed_at timestamptz
);
CREATE INDEX sms_codes_user_idx ON identity.sms_codes (user_id, created_at DESC);
CREATE INDEX sms_codes_phone_idx ON identity.sms_codes (phone_id);

-- Development SMS outbox: recipient and text sealed with AAD = row id; readable only through listDevOutbox.
CREATE TABLE identity.sms_dev_outbox (
  id          uuid        PRIMARY KEY,
  created_at  timestamptz NOT NULL,
  to_sealed   bytea       NOT NULL,
  text_sealed bytea       NOT NULL
);
CREATE INDEX sms_dev_outbox_created_idx ON identity.sms_dev_outbox (created_at DESC);
