-- Role assignments (IAM-02) record who granted what, when, why and when it was last used (IAM-12).
CREATE TABLE access.role_assignments (
  user_id      uuid        NOT NULL REFERENCES identity.users (id),
  role         text        NOT NULL,
  granted_by   uuid        REFERENCES identity.users (id),
  granted_via  text        NOT NULL CHECK (granted_via IN ('setup', 'init', 'admin', 'approval')),
  granted_at   timestamptz NOT NULL,
  reason_code  text,
  last_used_at timestamptz,
  PRIMARY KEY (user_id, role)
);
CREATE INDEX role_assignments_granted_by_idx ON access.role_assignments (granted_by);
