-- An event remembers the trace it was committed in (W3C traceparent), so its push to live clients joins the trace of
-- the request that caused it. Events written before have none.
ALTER TABLE events ADD COLUMN trace_parent text;
