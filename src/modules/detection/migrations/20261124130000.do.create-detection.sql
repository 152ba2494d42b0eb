-- Detection decisions (LOG-04, LOG-05, NET-02, LOG-06). Decisions live here and apply on the next request on every
-- node. IPs appear only as the keyed hashes the audit log uses (DAT-05).
CREATE TABLE detection.blocked_ips (
  id          uuid        PRIMARY KEY,
  ip_hash     text        NOT NULL,
  rule        text        NOT NULL,
  level       integer     NOT NULL,
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL,
  lifted_at   timestamptz,
  lifted_by   uuid        REFERENCES identity.users (id)
);
CREATE INDEX blocked_ips_active_idx ON detection.blocked_ips (ip_hash, expires_at) WHERE lifted_at IS NULL;
CREATE INDEX blocked_ips_lifted_by_idx ON detection.blocked_ips (lifted_by);

CREATE TABLE detection.alerts (
  id               uuid        PRIMARY KEY,
  rule             text        NOT NULL,
  rule_version     integer     NOT NULL,
  severity         text        NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
  status           text        NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved')),
  subject_type     text        NOT NULL CHECK (subject_type IN ('user', 'ip', 'record', 'system')),
  subject_id       text        NOT NULL,
  trigger_seq      bigint,
  details          jsonb       NOT NULL DEFAULT '{}'::jsonb,
  created_at       timestamptz NOT NULL,
  acknowledged_at  timestamptz,
  acknowledged_by  uuid        REFERENCES identity.users (id),
  resolved_at      timestamptz,
  resolved_by      uuid        REFERENCES identity.users (id),
  -- the review note is free text written by a person, so it is sealed (AAD = alert id), never stored in clear
  note_sealed      bytea,
  last_notified_at timestamptz,
  notified_times   integer     NOT NULL DEFAULT 0,
  CHECK (status <> 'resolved' OR note_sealed IS NOT NULL)
);
CREATE INDEX alerts_status_idx ON detection.alerts (status, created_at DESC);
CREATE INDEX alerts_rule_subject_idx ON detection.alerts (rule, subject_id, created_at DESC);
CREATE INDEX alerts_acknowledged_by_idx ON detection.alerts (acknowledged_by);
CREATE INDEX alerts_resolved_by_idx ON detection.alerts (resolved_by);
