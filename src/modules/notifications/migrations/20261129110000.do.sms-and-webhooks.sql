-- Alerts reach people by SMS too, and systems by webhook (LOG-06). An SMS recipient is a user (the number is
-- looked up, sealed, at delivery); a webhook recipient is a configured endpoint's id (detection.webhooks).
ALTER TABLE notifications.outbox ADD COLUMN recipient_webhook uuid;
ALTER TABLE notifications.outbox DROP CONSTRAINT outbox_check;
ALTER TABLE notifications.outbox DROP CONSTRAINT outbox_channel_check;
ALTER TABLE notifications.outbox ADD CONSTRAINT outbox_channel_check CHECK (channel IN ('email', 'sms', 'webhook'));
ALTER TABLE notifications.outbox ADD CONSTRAINT outbox_one_recipient_check CHECK (
  (recipient_user IS NOT NULL)::int + (recipient_role IS NOT NULL)::int + (recipient_webhook IS NOT NULL)::int = 1
);
