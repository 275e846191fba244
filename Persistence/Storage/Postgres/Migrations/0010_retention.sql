-- Retention: a grain may give its state row an expiry (a spent login challenge, an ended session, a quota gone quiet);
-- the retention loop deletes rows past it. Rows without one are kept.
ALTER TABLE grain_state ADD COLUMN expires_at timestamptz;
CREATE INDEX grain_state_by_expiry ON grain_state (expires_at) WHERE expires_at IS NOT NULL;

-- Operation keys are deleted after the replay window: the retention loop deletes by claimed_at.
CREATE INDEX grain_operation_keys_by_claimed_at ON grain_operation_keys (claimed_at);
