-- Orleans ADO.NET reminders (Microsoft.Orleans.Reminders.AdoNet 10.4.2, invariant "Npgsql").
--
-- What: the reminders table and its queries in the orleansquery catalogue (created by 0007; created here too
-- if missing, so this file stands alone). The provider fails at start unless all seven keys exist:
--   ReadReminderRowsKey, ReadReminderRowKey, ReadRangeRows1Key, ReadRangeRows2Key,
--   UpsertReminderRowKey, DeleteReminderRowKey, DeleteReminderRowsKey.
--
-- Why it looks like this:
-- * Named parameters from the provider: @ServiceId (ClusterOptions.ServiceId), @GrainId (GrainId.ToString()),
--   @ReminderName, @StartTime, @Period, @GrainHash, @BeginHash, @EndHash, @Version. Result columns are read by
--   name, case-insensitively: grainid, remindername, starttime, period, version, named as it asks.
-- * Every parameter is cast: Npgsql may send NULLs or types PostgreSQL cannot infer, and @Period arrives as int4
--   for periods up to int.MaxValue ms but as int8 beyond, so it is always cast to bigint.
-- * Hashes: the provider passes the grain's uint uniform hash as a signed int ((int)hash), so grainhash is
--   integer and holds the hash reinterpreted as signed. It also picks the range query in signed order:
--   ReadRangeRows1Key when (int)begin < (int)end, a plain (begin, end] interval; ReadRangeRows2Key otherwise,
--   the wrapping range "above begin or up to end" (which also covers the whole ring when begin = end).
--   Reinterpreting uint as int rotates the ring by 2^31, so these signed intervals select exactly the
--   unsigned ring range Orleans means.
-- * version is the reminder's etag: the upsert answers the new version (0 on insert, +1 on each update);
--   DeleteReminderRowKey deletes only if @Version still matches and answers one boolean.
-- * starttime is timestamptz: Npgsql 6+ sends the provider's UTC DateTimes as timestamptz.
-- * Plain SQL only (no functions, no extensions, no schema name); IF NOT EXISTS / ON CONFLICT make a second
--   run harmless.

CREATE TABLE IF NOT EXISTS orleansquery
(
    querykey  varchar(64) NOT NULL PRIMARY KEY,
    querytext text        NOT NULL
);

CREATE TABLE IF NOT EXISTS orleansreminderstable
(
    serviceid    varchar(150) NOT NULL,
    grainid      varchar(300) NOT NULL,
    remindername varchar(150) NOT NULL,
    starttime    timestamptz  NOT NULL,
    period        bigint       NOT NULL,  -- milliseconds
    grainhash    integer      NOT NULL,  -- uint uniform hash, stored as the provider sends it: signed
    version       integer      NOT NULL,
    PRIMARY KEY (serviceid, grainid, remindername)
);

-- The range reads each silo makes for its share of the hash ring.
CREATE INDEX IF NOT EXISTS orleansreminderstable_by_hash ON orleansreminderstable (serviceid, grainhash);

INSERT INTO orleansquery (querykey, querytext) VALUES

('ReadReminderRowsKey', $q$
SELECT grainid, remindername, starttime, period, version
FROM orleansreminderstable
WHERE serviceid = @ServiceId::varchar
  AND grainid = @GrainId::varchar
$q$),

('ReadReminderRowKey', $q$
SELECT grainid, remindername, starttime, period, version
FROM orleansreminderstable
WHERE serviceid = @ServiceId::varchar
  AND grainid = @GrainId::varchar
  AND remindername = @ReminderName::varchar
$q$),

-- Non-wrapping range (signed begin < signed end): begin exclusive, end inclusive.
('ReadRangeRows1Key', $q$
SELECT grainid, remindername, starttime, period, version
FROM orleansreminderstable
WHERE serviceid = @ServiceId::varchar
  AND grainhash > @BeginHash::integer
  AND grainhash <= @EndHash::integer
$q$),

-- Wrapping range (signed begin >= signed end): past begin to the top, and from the bottom up to end.
('ReadRangeRows2Key', $q$
SELECT grainid, remindername, starttime, period, version
FROM orleansreminderstable
WHERE serviceid = @ServiceId::varchar
  AND (grainhash > @BeginHash::integer OR grainhash <= @EndHash::integer)
$q$),

-- Insert (version 0) or replace (version + 1); answers the new version, the reminder's etag.
('UpsertReminderRowKey', $q$
INSERT INTO orleansreminderstable AS r
    (serviceid, grainid, remindername, starttime, period, grainhash, version)
VALUES (@ServiceId::varchar, @GrainId::varchar, @ReminderName::varchar,
        @StartTime::timestamptz, @Period::bigint, @GrainHash::integer, 0)
ON CONFLICT (serviceid, grainid, remindername) DO UPDATE
SET starttime = EXCLUDED.starttime,
    period = EXCLUDED.period,
    grainhash = EXCLUDED.grainhash,
    version = r.version + 1
RETURNING r.version
$q$),

-- Deletes one reminder if its etag still matches; answers true when a row went.
('DeleteReminderRowKey', $q$
WITH deleted AS (
    DELETE FROM orleansreminderstable
    WHERE serviceid = @ServiceId::varchar
      AND grainid = @GrainId::varchar
      AND remindername = @ReminderName::varchar
      AND version = @Version::integer
    RETURNING 1
)
SELECT count(*) > 0 FROM deleted
$q$),

-- Deletes every reminder of the service (used by tests / tooling).
('DeleteReminderRowsKey', $q$
DELETE FROM orleansreminderstable
WHERE serviceid = @ServiceId::varchar
$q$)

ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;
