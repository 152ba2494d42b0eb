-- The risk engine (IAM-14). No personal data in clear (DAT-05): addresses only as the audit log's keyed hashes,
-- clients only as classes ("chrome:windows") and keyed device-cookie hashes, places only as a country code and a
-- 1° grid cell. Imported lists hold CIDRs of public infrastructure (Tor relays, attack sources), not of our users.

-- Every decision, explainable indicator by indicator: the fired indicators with strength and evidence.
CREATE TABLE risk.assessments (
  id            uuid        PRIMARY KEY,
  at            timestamptz NOT NULL,
  stage         text        NOT NULL CHECK (stage IN ('login', 'reveal')),
  user_id       uuid        NOT NULL REFERENCES identity.users (id),
  session_id    uuid,
  challenge_id  uuid,
  request_id    text,
  ip_hash       text,
  country       text        CHECK (country ~ '^[A-Z]{2}$'),
  asn           integer,
  client_class  text        NOT NULL,
  score         smallint    NOT NULL CHECK (score BETWEEN 0 AND 100),
  decision      text        NOT NULL CHECK (decision IN ('allow', 'step_up', 'deny')),
  outcome       text        NOT NULL CHECK (outcome IN ('allowed', 'challenged', 'step_up_satisfied', 'denied', 'monitored')),
  enforced      boolean     NOT NULL,
  -- sign-in: the second factors still accepted for this sign-in (a step-up narrows them to the strongest)
  methods       text[],
  thresholds    jsonb       NOT NULL,
  indicators    jsonb       NOT NULL
);
CREATE INDEX assessments_at_idx ON risk.assessments (at DESC);
CREATE INDEX assessments_user_idx ON risk.assessments (user_id, at DESC);
CREATE INDEX assessments_session_idx ON risk.assessments (session_id, at DESC) WHERE session_id IS NOT NULL;
CREATE INDEX assessments_challenge_idx ON risk.assessments (challenge_id) WHERE challenge_id IS NOT NULL;

-- A user's sign-in history as aggregates (counts per class), not a timeline.
CREATE TABLE risk.profiles (
  user_id      uuid        PRIMARY KEY REFERENCES identity.users (id),
  sign_ins     integer     NOT NULL DEFAULT 0,
  countries    jsonb       NOT NULL DEFAULT '{}'::jsonb,
  asns         jsonb       NOT NULL DEFAULT '{}'::jsonb,
  clients      jsonb       NOT NULL DEFAULT '{}'::jsonb,
  devices      jsonb       NOT NULL DEFAULT '{}'::jsonb,
  cells        jsonb       NOT NULL DEFAULT '{}'::jsonb,
  hours        integer[]   NOT NULL DEFAULT array_fill(0, ARRAY[24]),
  last_at      timestamptz,
  last_lat     smallint,
  last_lon     smallint,
  last_country text,
  updated_at   timestamptz NOT NULL
);

-- What a session looked like when it signed in, for session anomalies at reveal.
CREATE TABLE risk.sessions (
  session_id    uuid        PRIMARY KEY,
  user_id       uuid        NOT NULL REFERENCES identity.users (id),
  assessment_id uuid        REFERENCES risk.assessments (id),
  ip_hash       text,
  client_class  text        NOT NULL,
  device_hash   text        NOT NULL,
  country       text,
  started_at    timestamptz NOT NULL
);
CREATE INDEX risk_sessions_user_idx ON risk.sessions (user_id);
CREATE INDEX risk_sessions_assessment_idx ON risk.sessions (assessment_id);

-- Imported address lists: one current version per list, replaced whole by each import.
CREATE TABLE risk.lists (
  list         text        PRIMARY KEY CHECK (list IN ('tor', 'threat')),
  entries      integer     NOT NULL,
  sha256       text        NOT NULL,
  imported_at  timestamptz NOT NULL,
  imported_by  uuid        REFERENCES identity.users (id),
  via          text        NOT NULL CHECK (via IN ('api', 'cli'))
);
CREATE INDEX lists_imported_by_idx ON risk.lists (imported_by);

CREATE TABLE risk.list_entries (
  list  text NOT NULL REFERENCES risk.lists (list),
  range cidr NOT NULL
);
CREATE INDEX list_entries_range_idx ON risk.list_entries USING gist (range inet_ops);
CREATE INDEX list_entries_list_idx ON risk.list_entries (list);
