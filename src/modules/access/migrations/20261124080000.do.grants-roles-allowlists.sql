-- Two-person grants of confidential-data access (IAM-08), custom roles (IAM-02), IP allow-lists (IAM-13).
-- Every grant keeps who asked, who approved, when, why, until when and when it was last used (IAM-12).
CREATE TABLE access.grants (
  id            uuid        PRIMARY KEY,
  user_id       uuid        NOT NULL REFERENCES identity.users (id),
  permission    text        NOT NULL,
  owner_ids     uuid[],
  expires_at    timestamptz,
  status        text        NOT NULL CHECK (status IN ('pending_approval', 'active', 'rejected', 'revoked')),
  reason        text,
  requested_by  uuid        NOT NULL REFERENCES identity.users (id),
  requested_at  timestamptz NOT NULL,
  decided_by    uuid        REFERENCES identity.users (id),
  decided_at    timestamptz,
  revoked_by    uuid        REFERENCES identity.users (id),
  revoked_at    timestamptz,
  last_used_at  timestamptz
);
CREATE INDEX grants_user_idx ON access.grants (user_id, status);
CREATE INDEX grants_requested_by_idx ON access.grants (requested_by);
CREATE INDEX grants_decided_by_idx ON access.grants (decided_by);
CREATE INDEX grants_revoked_by_idx ON access.grants (revoked_by);
CREATE INDEX grants_pending_idx ON access.grants (status) WHERE status = 'pending_approval';

CREATE TABLE access.custom_roles (
  name        text        PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9_]{1,39}$'),
  description text        NOT NULL,
  permissions text[]      NOT NULL,
  created_by  uuid        NOT NULL REFERENCES identity.users (id),
  created_at  timestamptz NOT NULL
);
CREATE INDEX custom_roles_created_by_idx ON access.custom_roles (created_by);

-- Global entries (user_id NULL) and per-user entries. With no global entry, the built-in private ranges apply.
CREATE TABLE access.ip_allowlist (
  id         uuid        PRIMARY KEY,
  cidr       text        NOT NULL,
  user_id    uuid        REFERENCES identity.users (id),
  label      text        NOT NULL,
  created_by uuid        REFERENCES identity.users (id),
  created_at timestamptz NOT NULL
);
CREATE INDEX ip_allowlist_user_idx ON access.ip_allowlist (user_id);
CREATE INDEX ip_allowlist_created_by_idx ON access.ip_allowlist (created_by);

ALTER TABLE access.role_assignments DROP CONSTRAINT role_assignments_granted_via_check;
ALTER TABLE access.role_assignments ADD CONSTRAINT role_assignments_granted_via_check
  CHECK (granted_via IN ('setup', 'init', 'admin', 'approval', 'bootstrap'));
