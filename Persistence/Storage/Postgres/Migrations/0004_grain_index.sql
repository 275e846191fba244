-- Grain indexes: one row per (index, partition, grain), upserted in the grain's write batch, so a query right after
-- a command returns sees it. A query reads one partition, optionally one tag and a [from, to) range of sort_at,
-- newest first with ties by grain key: each of the two indexes below answers its shape in order, without a sort.
-- Keys use the "C" collation so pages are ordered byte-wise, the same on every server (and as the memory store).
CREATE TABLE grain_index (
    index_name text NOT NULL,
    partition_key text NOT NULL,
    grain_type text COLLATE "C" NOT NULL,
    grain_key text COLLATE "C" NOT NULL,
    tag text,
    sort_at timestamptz NOT NULL,
    data jsonb NOT NULL,
    PRIMARY KEY (index_name, partition_key, grain_type, grain_key)
);
CREATE INDEX grain_index_by_sort_at ON grain_index (index_name, partition_key, sort_at DESC, grain_key, grain_type);
CREATE INDEX grain_index_by_tag ON grain_index (index_name, partition_key, tag, sort_at DESC, grain_key, grain_type);
