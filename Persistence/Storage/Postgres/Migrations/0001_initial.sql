-- Grain state: one row per grain, keyed by its full identity; the version is the optimistic concurrency token.
CREATE TABLE grain_state (
    grain_type text NOT NULL,
    grain_key text NOT NULL,
    version bigint NOT NULL,
    state jsonb NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (grain_type, grain_key)
);

-- One-shot reminders. due_at is the business deadline; available_at is when it may next be claimed
-- (the due instant at first, then the end of a lease or of a retry backoff). id changes on every set,
-- so a handled reminder is removed only if nobody set it again meanwhile.
CREATE TABLE reminders (
    grain_type text NOT NULL,
    grain_key text NOT NULL,
    name text NOT NULL,
    due_at timestamptz NOT NULL,
    available_at timestamptz NOT NULL,
    id uuid NOT NULL,
    attempts integer NOT NULL DEFAULT 0,
    PRIMARY KEY (grain_type, grain_key, name)
);
CREATE INDEX reminders_by_available_at ON reminders (available_at);

-- The event log. A position is (tx, seq): tx is the writing transaction's id, so a reader that only reads
-- below the oldest in-flight transaction (pg_snapshot_xmin) never skips a late commit.
CREATE TABLE events (
    tx bigint NOT NULL DEFAULT (pg_current_xact_id()::text::bigint),
    seq bigint GENERATED ALWAYS AS IDENTITY,
    stream text NOT NULL,
    type text NOT NULL,
    at timestamptz NOT NULL,
    data jsonb NOT NULL,
    audiences text[] NOT NULL,
    PRIMARY KEY (tx, seq)
);
CREATE INDEX events_by_at ON events (at);
