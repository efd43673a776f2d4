-- Up Migration

-- The turns whose lines a transcript already holds, by the turn's key (the channel and message id of the
-- customer's message it answered). A retried turn whose first attempt wrote its lines before the process
-- died writes nothing the second time. Rows go with their transcript.
CREATE TABLE parley_transcript_turns (
  conversation_id text NOT NULL REFERENCES parley_transcripts (conversation_id) ON DELETE CASCADE,
  turn_key text NOT NULL,
  PRIMARY KEY (conversation_id, turn_key)
);

-- Down Migration

DROP TABLE parley_transcript_turns;
