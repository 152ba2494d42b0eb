-- Detection, second step (LOG-04, LOG-05, IAM-15, INC-03): rule settings as versioned data, application
-- lock-down, per-user activity for request-rate baselines, session context for mid-session changes, webhooks.
-- Nothing here holds personal data: users by id, addresses and user agents only as keyed hashes.

-- Every change to a rule is a new row (the newest per rule wins); the built-in default is version 1.
CREATE TABLE detection.rule_settings (
  rule        text        NOT NULL,
  version     integer     NOT NULL CHECK (version > 1),
  settings    jsonb       NOT NULL,
  weakened    boolean     NOT NULL,
  changed_by  uuid        NOT NULL REFERENCES identity.users (id),
  changed_at  timestamptz NOT NULL,
  PRIMARY KEY (rule, version)
);
CREATE INDEX rule_settings_changed_by_idx ON detection.rule_settings (changed_by);

-- Application lock-down (INC-03): at most one active row. Engaged by a person or by a rule; lifted only when two
-- different top-level admins have agreed (the first asks, the second lifts).
CREATE TABLE detection.lockdowns (
  id                 uuid        PRIMARY KEY,
  engaged_at         timestamptz NOT NULL,
  engaged_by         uuid        REFERENCES identity.users (id),
  engaged_by_rule    text,
  reason             text        NOT NULL CHECK (reason IN ('manual', 'rule')),
  alert_id           uuid        REFERENCES detection.alerts (id),
  lift_requested_by  uuid        REFERENCES identity.users (id),
  lift_requested_at  timestamptz,
  lifted_by          uuid        REFERENCES identity.users (id),
  lifted_at          timestamptz,
  CHECK (engaged_by IS NOT NULL OR engaged_by_rule IS NOT NULL),
  CHECK (lifted_by IS NULL OR (lift_requested_by IS NOT NULL AND lifted_by <> lift_requested_by))
);
CREATE UNIQUE INDEX lockdowns_one_active_idx ON detection.lockdowns ((true)) WHERE lifted_at IS NULL;
CREATE INDEX lockdowns_engaged_by_idx ON detection.lockdowns (engaged_by);
CREATE INDEX lockdowns_lift_requested_by_idx ON detection.lockdowns (lift_requested_by);
CREATE INDEX lockdowns_lifted_by_idx ON detection.lockdowns (lifted_by);
CREATE INDEX lockdowns_alert_idx ON detection.lockdowns (alert_id);

-- Requests per user per minute, flushed from each node's counters: the history a user's own request-rate
-- baseline is computed from.
CREATE TABLE detection.activity_minutes (
  user_id   uuid        NOT NULL REFERENCES identity.users (id) ON DELETE CASCADE,
  minute    timestamptz NOT NULL,
  requests  integer     NOT NULL CHECK (requests >= 0),
  PRIMARY KEY (user_id, minute)
);

-- What a session looked like on its first request: keyed hashes of the address and of the user agent.
CREATE TABLE detection.session_context (
  session_id   uuid        PRIMARY KEY,
  ip_hash      text        NOT NULL,
  device_hash  text        NOT NULL,
  first_seen   timestamptz NOT NULL
);

-- Outgoing webhooks for alerts: the URL is configuration, the signing secret is sealed (AAD = webhook id).
CREATE TABLE detection.webhooks (
  id            uuid        PRIMARY KEY,
  name          text        NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
  url           text        NOT NULL,
  secret_sealed bytea       NOT NULL,
  min_severity  text        NOT NULL CHECK (min_severity IN ('low', 'medium', 'high', 'critical')),
  created_by    uuid        NOT NULL REFERENCES identity.users (id),
  created_at    timestamptz NOT NULL,
  deleted_at    timestamptz
);
CREATE INDEX webhooks_created_by_idx ON detection.webhooks (created_by);

ALTER TABLE detection.alerts ADD COLUMN checkpoint text;
ALTER TABLE detection.alerts ADD COLUMN responses text[] NOT NULL DEFAULT '{}';
-- failed sign-ins for one account name (a keyed hash of what was typed, known account or not)
ALTER TABLE detection.alerts DROP CONSTRAINT alerts_subject_type_check;
ALTER TABLE detection.alerts ADD CONSTRAINT alerts_subject_type_check
  CHECK (subject_type IN ('user', 'ip', 'record', 'system', 'account_name'));
