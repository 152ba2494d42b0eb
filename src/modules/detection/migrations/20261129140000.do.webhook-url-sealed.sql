-- A webhook URL often is the credential (chat and pager webhooks carry their token in the path): the full URL is
-- sealed (AAD = webhook id) and only its origin is kept in clear, for the list. Rows made before this keep their
-- clear URL until deleted (deliveries fall back to it).
ALTER TABLE detection.webhooks ADD COLUMN url_sealed bytea;
