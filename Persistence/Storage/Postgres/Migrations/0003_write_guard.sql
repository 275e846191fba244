-- A grain write is sent as one batch, committed as one implicit transaction. A stale version must abort the
-- whole batch, so the version guard raises (SQLSTATE OZ409) instead of returning a count the client would have
-- to inspect between statements.
CREATE FUNCTION expect_one_row(affected bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF affected <> 1 THEN
        RAISE EXCEPTION 'stale grain version' USING ERRCODE = 'OZ409';
    END IF;
END
$$;
