-- Deadlines are Orleans reminders now; the truth of a grain's deadlines ({name: dueAt}) is kept with its state and
-- written in the same row, so a deadline can never be set without its status or outlive the status that cleared it.
-- The home-made runtime's one-shot reminders move into that column; each grain re-registers its Orleans reminders
-- when it activates, and the silo wakes every grain that holds a deadline once at start (DeadlineSweep).
ALTER TABLE grain_state ADD COLUMN deadlines jsonb NOT NULL DEFAULT '{}'::jsonb;

UPDATE grain_state g
SET deadlines = r.deadlines
FROM (
    SELECT grain_type, grain_key,
           jsonb_object_agg(name, to_char(due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"')) AS deadlines
    FROM reminders GROUP BY grain_type, grain_key
) r
WHERE g.grain_type = r.grain_type AND g.grain_key = r.grain_key;

DROP TABLE reminders;

-- Finds the grains a starting silo must wake (deadlines it holds), without scanning states that hold none.
CREATE INDEX grain_state_with_deadlines ON grain_state (grain_type, grain_key) WHERE deadlines <> '{}'::jsonb;
