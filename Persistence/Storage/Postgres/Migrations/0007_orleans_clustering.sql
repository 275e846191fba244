-- Orleans ADO.NET clustering (Microsoft.Orleans.Clustering.AdoNet 10.4.2, invariant "Npgsql").
--
-- What: the query catalogue every Orleans ADO.NET provider reads at start
-- ("SELECT QueryKey, QueryText FROM OrleansQuery", hard-coded in the provider, hence the table and column
-- names orleansquery/querykey/querytext), the membership version row per cluster, one row per silo, and the
-- clustering queries. The provider fails at start unless all nine required keys exist:
--   GatewaysQueryKey, MembershipReadRowKey, MembershipReadAllKey, InsertMembershipVersionKey,
--   UpdateIAmAlivetimeKey (sic, lower-case "t"), InsertMembershipKey, UpdateMembershipKey,
--   DeleteMembershipTableEntriesKey, CleanupDefunctSiloEntriesKey.
-- CleanupDefunctSiloEntryKey is optional; when present, 10.4.x uses it (row by row, only Dead rows whose
-- captured values still match) instead of the bulk CleanupDefunctSiloEntriesKey.
--
-- Why it looks like this:
-- * The provider binds named parameters (@DeploymentId = ClusterId, @Address, @Port, ...) and reads result
--   columns by name, case-insensitively but with no underscores, so the columns carry exactly the names it asks
--   for (siloname, hostname, proxyport, suspecttimes, starttime, iamalivetime, version, ...). The tables keep
--   the names operators know from Orleans (orleansmembershiptable, orleansreminderstable).
-- * Every parameter is cast (@Port::integer, @SuspectTimes::text, @IAmAliveTime::timestamptz, ...): Npgsql may
--   send a NULL, or a type PostgreSQL cannot infer, and an explicit cast pins the type in every case.
-- * Times are timestamptz: Npgsql 6+ sends the provider's UTC DateTimes (DbType.DateTime) as timestamptz; a
--   plain timestamp column would shift them by the session's TimeZone.
-- * The table version is the membership etag: writes pass the version they read (@Version) and succeed only
--   if it is still current, bumping it by one in the same statement. Success is a one-row, one-column answer
--   (1 or 0). Reads always return at least the version row (LEFT JOIN), with NULL silo columns when the
--   cluster has no silo yet: the provider needs that row to learn the version.
-- * Heartbeats (UpdateIAmAlivetimeKey) do not touch the version, and never move the time backwards.
-- * Plain SQL only (no functions, no extensions, no schema name): it runs in whatever schema search_path
--   selects. IF NOT EXISTS / ON CONFLICT make a second run harmless.

CREATE TABLE IF NOT EXISTS orleansquery
(
    querykey  varchar(64) NOT NULL PRIMARY KEY,
    querytext text        NOT NULL
);

-- One row per cluster (deploymentid = ClusterId); version is the etag of the whole membership table.
CREATE TABLE IF NOT EXISTS orleansmembershipversiontable
(
    deploymentid varchar(150) NOT NULL PRIMARY KEY,
    timestamp    timestamptz  NOT NULL DEFAULT now(),
    version       integer      NOT NULL DEFAULT 0
);

-- One row per silo incarnation (address, port, generation). status is Orleans' SiloStatus
-- (3 Active, 4 ShuttingDown, 5 Stopping, 6 Dead); suspecttimes is "silo,time|silo,time" as Orleans writes it.
CREATE TABLE IF NOT EXISTS orleansmembershiptable
(
    deploymentid   varchar(150) NOT NULL
        REFERENCES orleansmembershipversiontable (deploymentid) ON DELETE CASCADE,
    address         varchar(45)  NOT NULL,
    port            integer      NOT NULL,
    generation      integer      NOT NULL,
    siloname       varchar(150) NOT NULL,
    hostname       varchar(150) NOT NULL,
    status          integer      NOT NULL,
    proxyport      integer      NOT NULL DEFAULT 0,
    suspecttimes   text         NULL,
    starttime      timestamptz  NOT NULL,
    iamalivetime timestamptz  NOT NULL,
    PRIMARY KEY (deploymentid, address, port, generation)
);

INSERT INTO orleansquery (querykey, querytext) VALUES

-- Creates the version row of a cluster once; answers 1 if this call created it, 0 if it existed.
('InsertMembershipVersionKey', $q$
WITH created AS (
    INSERT INTO orleansmembershipversiontable (deploymentid)
    VALUES (@DeploymentId::varchar)
    ON CONFLICT (deploymentid) DO NOTHING
    RETURNING 1
)
SELECT count(*)::integer FROM created
$q$),

-- Adds a silo row, only if @Version is still the current version and the row is new; bumps the version.
-- The version row's lock serialises concurrent writers: a loser re-reads the bumped version and matches nothing.
('InsertMembershipKey', $q$
WITH bumped AS (
    UPDATE orleansmembershipversiontable v
    SET version = v.version + 1, timestamp = now()
    WHERE v.deploymentid = @DeploymentId::varchar
      AND v.version = @Version::integer
      AND NOT EXISTS (
          SELECT 1 FROM orleansmembershiptable m
          WHERE m.deploymentid = @DeploymentId::varchar
            AND m.address = @Address::varchar
            AND m.port = @Port::integer
            AND m.generation = @Generation::integer)
    RETURNING v.deploymentid
), inserted AS (
    INSERT INTO orleansmembershiptable
        (deploymentid, address, port, generation, siloname, hostname, status, proxyport,
         starttime, iamalivetime)
    SELECT b.deploymentid, @Address::varchar, @Port::integer, @Generation::integer,
           @SiloName::varchar, @HostName::varchar, @Status::integer, coalesce(@ProxyPort::integer, 0),
           @StartTime::timestamptz, @IAmAliveTime::timestamptz
    FROM bumped b
    RETURNING 1
)
SELECT count(*)::integer FROM inserted
$q$),

-- Changes a silo row (status, suspicions, heartbeat), only if @Version is still current and the row exists;
-- bumps the version.
('UpdateMembershipKey', $q$
WITH bumped AS (
    UPDATE orleansmembershipversiontable v
    SET version = v.version + 1, timestamp = now()
    WHERE v.deploymentid = @DeploymentId::varchar
      AND v.version = @Version::integer
      AND EXISTS (
          SELECT 1 FROM orleansmembershiptable m
          WHERE m.deploymentid = @DeploymentId::varchar
            AND m.address = @Address::varchar
            AND m.port = @Port::integer
            AND m.generation = @Generation::integer)
    RETURNING v.deploymentid
), updated AS (
    UPDATE orleansmembershiptable m
    SET status = @Status::integer,
        suspecttimes = @SuspectTimes::text,
        iamalivetime = greatest(m.iamalivetime, @IAmAliveTime::timestamptz)
    FROM bumped b
    WHERE m.deploymentid = b.deploymentid
      AND m.address = @Address::varchar
      AND m.port = @Port::integer
      AND m.generation = @Generation::integer
    RETURNING 1
)
SELECT count(*)::integer FROM updated
$q$),

-- Heartbeat: no version change, no answer expected.
('UpdateIAmAlivetimeKey', $q$
UPDATE orleansmembershiptable
SET iamalivetime = greatest(iamalivetime, @IAmAliveTime::timestamptz)
WHERE deploymentid = @DeploymentId::varchar
  AND address = @Address::varchar
  AND port = @Port::integer
  AND generation = @Generation::integer
$q$),

-- One silo's row plus the version (the version row alone when that silo has no row).
('MembershipReadRowKey', $q$
SELECT v.deploymentid,
       m.address, m.port, m.generation,
       m.siloname, m.hostname, m.status, m.proxyport,
       m.suspecttimes, m.starttime, m.iamalivetime,
       v.version
FROM orleansmembershipversiontable v
LEFT JOIN orleansmembershiptable m
       ON m.deploymentid = v.deploymentid
      AND m.address = @Address::varchar
      AND m.port = @Port::integer
      AND m.generation = @Generation::integer
WHERE v.deploymentid = @DeploymentId::varchar
$q$),

-- Every silo row of the cluster plus the version (the version row alone when there is no silo).
('MembershipReadAllKey', $q$
SELECT v.deploymentid,
       m.address, m.port, m.generation,
       m.siloname, m.hostname, m.status, m.proxyport,
       m.suspecttimes, m.starttime, m.iamalivetime,
       v.version
FROM orleansmembershipversiontable v
LEFT JOIN orleansmembershiptable m ON m.deploymentid = v.deploymentid
WHERE v.deploymentid = @DeploymentId::varchar
$q$),

-- Gateways for clients: silos in @Status (the provider passes 3, Active) that listen for clients.
('GatewaysQueryKey', $q$
SELECT address, proxyport, generation
FROM orleansmembershiptable
WHERE deploymentid = @DeploymentId::varchar
  AND status = @Status::integer
  AND proxyport > 0
$q$),

-- Forgets a whole cluster (its silo rows go with the version row, ON DELETE CASCADE).
('DeleteMembershipTableEntriesKey', $q$
DELETE FROM orleansmembershipversiontable
WHERE deploymentid = @DeploymentId::varchar
$q$),

-- Bulk clean-up (used only when CleanupDefunctSiloEntryKey is absent): Dead rows (status 6) that started
-- and last heart-beat before the cut-off @IAmAliveTime. Does not change the version.
('CleanupDefunctSiloEntriesKey', $q$
DELETE FROM orleansmembershiptable
WHERE deploymentid = @DeploymentId::varchar
  AND status = 6
  AND starttime < @IAmAliveTime::timestamptz
  AND iamalivetime < @IAmAliveTime::timestamptz
$q$),

-- Row-by-row clean-up (preferred by 10.4.x): the provider has already chosen an old Dead row from a read;
-- delete it only if it is still exactly what was read (times and suspicions unchanged). No version change.
-- (Orleans reads an empty suspect list back as none and passes NULL for it, so both compare as empty.)
('CleanupDefunctSiloEntryKey', $q$
DELETE FROM orleansmembershiptable
WHERE deploymentid = @DeploymentId::varchar
  AND address = @Address::varchar
  AND port = @Port::integer
  AND generation = @Generation::integer
  AND status = 6
  AND starttime = @StartTime::timestamptz
  AND iamalivetime = @IAmAliveTime::timestamptz
  AND coalesce(suspecttimes, '') = coalesce(@SuspectTimes::text, '')
$q$)

ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;
