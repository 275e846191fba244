-- Replay for one client reads only the events addressed to its audiences (audiences && its groups): a GIN index
-- keeps that read proportional to the client's own events, not to the whole log.
-- fastupdate is off: with it, an insert now and then merges the whole pending list into the index inside its own
-- transaction, and that open transaction holds back every event reader (they read below the oldest open one).
CREATE INDEX events_by_audience ON events USING gin (audiences) WITH (fastupdate = off);
