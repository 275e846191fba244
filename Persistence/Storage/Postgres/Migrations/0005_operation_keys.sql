-- Keys of operations a grain has applied (e.g. an order id), claimed in the same transaction as the grain's state.
-- A write that claims a key the grain already claimed raises (SQLSTATE OZ410) and commits nothing, so a replayed
-- operation cannot be applied twice however its first application ended.
CREATE TABLE grain_operation_keys (
    grain_type text NOT NULL,
    grain_key text NOT NULL,
    operation_key text NOT NULL,
    claimed_at timestamptz NOT NULL,
    PRIMARY KEY (grain_type, grain_key, operation_key)
);

CREATE FUNCTION expect_new_key(inserted bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF inserted <> 1 THEN
        RAISE EXCEPTION 'operation already applied' USING ERRCODE = 'OZ410';
    END IF;
END
$$;
