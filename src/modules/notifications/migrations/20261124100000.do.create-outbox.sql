-- Transactional outbox (LOG-06 groundwork): a notice is enqueued in the same transaction as the event that
-- causes it and delivered after commit, with retries and back-off. Recipients are user ids or roles resolved
-- at delivery time, so no address is copied here; params hold ids and enums only, never personal data.
CREATE TABLE notifications.outbox (
  id              uuid        PRIMARY KEY,
  template        text        NOT NULL,
  params          jsonb       NOT NULL DEFAULT '{}'::jsonb,
  channel         text        NOT NULL CHECK (channel IN ('email', 'sms')),
  recipient_user  uuid        REFERENCES identity.users (id),
  recipient_role  text,
  status          text        NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'skipped')),
  attempts        integer     NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  last_error      text,
  created_at      timestamptz NOT NULL,
  sent_at         timestamptz,
  CHECK ((recipient_user IS NULL) <> (recipient_role IS NULL))
);
CREATE INDEX outbox_due_idx ON notifications.outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX outbox_recipient_user_idx ON notifications.outbox (recipient_user);
