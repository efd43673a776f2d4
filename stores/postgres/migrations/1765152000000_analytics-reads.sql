-- Up Migration

-- Reports read analytics events by the time they happened, across conversations.
CREATE INDEX parley_analytics_events_at ON parley_analytics_events (((record ->> 'at')::bigint));

-- The text of messages the bot could not answer (already redacted at receive), for the "unanswered
-- questions" report. Kept apart from the events, and for a shorter time (its own retention).
CREATE TABLE parley_unanswered_questions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  conversation_id text NOT NULL,
  at bigint NOT NULL,
  record json NOT NULL,
  written_at timestamptz NOT NULL
);
CREATE INDEX parley_unanswered_questions_at ON parley_unanswered_questions (at);
CREATE INDEX parley_unanswered_questions_written_at ON parley_unanswered_questions (written_at);
CREATE INDEX parley_unanswered_questions_conversation ON parley_unanswered_questions (conversation_id);

-- Down Migration

DROP TABLE parley_unanswered_questions;
DROP INDEX parley_analytics_events_at;
