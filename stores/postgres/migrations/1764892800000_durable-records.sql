-- Up Migration

-- Documents are stored as `json`, not `jsonb`: json keeps the exact text JSON.stringify produced, so any
-- string a JavaScript caller can hold (NUL, lone surrogates as \u escapes) round-trips unchanged.
-- `written_at` is the time of the last write, measured on the writer's clock; retention counts from it.

-- One row per conversation: the head of its transcript. Appends lock this row, so a conversation's lines
-- are numbered one writer at a time, whatever the number of processes.
CREATE TABLE parley_transcripts (
  conversation_id text PRIMARY KEY,
  line_count integer NOT NULL CHECK (line_count >= 0),
  written_at timestamptz NOT NULL
);

CREATE TABLE parley_transcript_lines (
  conversation_id text NOT NULL REFERENCES parley_transcripts (conversation_id) ON DELETE CASCADE,
  seq integer NOT NULL CHECK (seq >= 0),
  entry json NOT NULL,
  PRIMARY KEY (conversation_id, seq)
);

CREATE INDEX parley_transcripts_written_at ON parley_transcripts (written_at);

CREATE TABLE parley_cases (
  id text PRIMARY KEY,
  conversation_id text NOT NULL,
  customer_id text NOT NULL,
  status text NOT NULL CHECK (status IN ('queued', 'assigned', 'resolved', 'closed')),
  -- The case's own createdAt (epoch ms): the queue's order.
  created_at bigint NOT NULL,
  document json NOT NULL,
  written_at timestamptz NOT NULL
);

CREATE INDEX parley_cases_queue ON parley_cases (status, created_at, id);
CREATE INDEX parley_cases_conversation ON parley_cases (conversation_id);
CREATE INDEX parley_cases_written_at ON parley_cases (written_at);

-- Append-only records. `subject` is who or what a record is about (a customer, a conversation, a case).
CREATE TABLE parley_consent_records (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  subject text NOT NULL,
  record json NOT NULL,
  written_at timestamptz NOT NULL
);
CREATE INDEX parley_consent_records_subject ON parley_consent_records (subject, id);
CREATE INDEX parley_consent_records_written_at ON parley_consent_records (written_at);

CREATE TABLE parley_audit_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  subject text NOT NULL,
  record json NOT NULL,
  written_at timestamptz NOT NULL
);
CREATE INDEX parley_audit_events_subject ON parley_audit_events (subject, id);
CREATE INDEX parley_audit_events_written_at ON parley_audit_events (written_at);

CREATE TABLE parley_analytics_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  subject text NOT NULL,
  record json NOT NULL,
  written_at timestamptz NOT NULL
);
CREATE INDEX parley_analytics_events_subject ON parley_analytics_events (subject, id);
CREATE INDEX parley_analytics_events_written_at ON parley_analytics_events (written_at);

-- Down Migration

DROP TABLE parley_analytics_events;
DROP TABLE parley_audit_events;
DROP TABLE parley_consent_records;
DROP TABLE parley_cases;
DROP TABLE parley_transcript_lines;
DROP TABLE parley_transcripts;
