-- KeyProjects schema, version 1 (PostgreSQL): the tables and named queries Orleans' ADO.NET providers use for
-- clustering, grain persistence and reminders. Table, column, parameter and query-key names are the
-- providers' contract; the SQL is KeyProjects' own. Applied once by the schema migrator, inside a transaction.

CREATE TABLE orleansquery
(
    querykey  varchar(64)   NOT NULL PRIMARY KEY,
    querytext varchar(8000) NOT NULL
);

-- ---------------------------------------------------------------------------------------------------------
-- Grain persistence. One row per grain id + grain type (our grain types each carry their own state name).
-- ---------------------------------------------------------------------------------------------------------
CREATE TABLE orleansstorage
(
    grainidhash            integer      NOT NULL,
    grainidn0              bigint       NOT NULL,
    grainidn1              bigint       NOT NULL,
    graintypehash          integer      NOT NULL,
    graintypestring        varchar(512) NOT NULL,
    grainidextensionstring varchar(512) NULL,
    serviceid              varchar(150) NOT NULL,
    payloadbinary          bytea        NULL,
    modifiedon             timestamptz  NOT NULL,
    version                integer      NULL
);

-- The identity of a row; the expression lets a NULL extension string take part in uniqueness.
CREATE UNIQUE INDEX ux_orleansstorage_identity ON orleansstorage
    (grainidhash, graintypehash, grainidn0, grainidn1, graintypestring, (coalesce(grainidextensionstring, '')), serviceid);

-- Writes a state: an update guarded by the version the grain last read, or the first insert. Returns the new
-- version, or the old one when nothing was written (Orleans then raises InconsistentStateException).
CREATE FUNCTION kp_write_grain_state(
    p_idhash integer, p_n0 bigint, p_n1 bigint, p_typehash integer, p_type varchar, p_ext varchar,
    p_service varchar, p_version integer, p_payload bytea)
RETURNS TABLE (newgrainstateversion integer)
LANGUAGE plpgsql AS $$
DECLARE
    v_new integer;
BEGIN
    IF p_version IS NOT NULL THEN
        UPDATE orleansstorage s
           SET payloadbinary = p_payload, modifiedon = now(), version = s.version + 1
         WHERE s.grainidhash = p_idhash AND s.graintypehash = p_typehash
           AND s.grainidn0 = p_n0 AND s.grainidn1 = p_n1 AND s.graintypestring = p_type
           AND coalesce(s.grainidextensionstring, '') = coalesce(p_ext, '')
           AND s.serviceid = p_service AND s.version = p_version
        RETURNING s.version INTO v_new;
    ELSE
        INSERT INTO orleansstorage (grainidhash, grainidn0, grainidn1, graintypehash, graintypestring,
                                    grainidextensionstring, serviceid, payloadbinary, modifiedon, version)
        VALUES (p_idhash, p_n0, p_n1, p_typehash, p_type, p_ext, p_service, p_payload, now(), 1)
        ON CONFLICT DO NOTHING
        RETURNING version INTO v_new;
    END IF;
    RETURN QUERY SELECT coalesce(v_new, p_version);
END
$$;

INSERT INTO orleansquery (querykey, querytext) VALUES
('WriteToStorageKey',
 'SELECT newgrainstateversion AS "NewGrainStateVersion" FROM kp_write_grain_state(@GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString, @GrainIdExtensionString, @ServiceId, @GrainStateVersion, @PayloadBinary)'),
('ReadFromStorageKey',
 'SELECT payloadbinary AS "PayloadBinary", version AS "Version"
    FROM orleansstorage
   WHERE grainidhash = @GrainIdHash AND graintypehash = @GrainTypeHash
     AND grainidn0 = @GrainIdN0 AND grainidn1 = @GrainIdN1 AND graintypestring = @GrainTypeString
     AND coalesce(grainidextensionstring, '''') = coalesce(@GrainIdExtensionString, '''')
     AND serviceid = @ServiceId'),
('ClearStorageKey',
 'UPDATE orleansstorage
     SET payloadbinary = NULL, modifiedon = now(), version = version + 1
   WHERE grainidhash = @GrainIdHash AND graintypehash = @GrainTypeHash
     AND grainidn0 = @GrainIdN0 AND grainidn1 = @GrainIdN1 AND graintypestring = @GrainTypeString
     AND coalesce(grainidextensionstring, '''') = coalesce(@GrainIdExtensionString, '''')
     AND serviceid = @ServiceId AND version = @GrainStateVersion
  RETURNING version AS "NewGrainStateVersion"'),
('DeleteStorageKey',
 'DELETE FROM orleansstorage
   WHERE grainidhash = @GrainIdHash AND graintypehash = @GrainTypeHash
     AND grainidn0 = @GrainIdN0 AND grainidn1 = @GrainIdN1 AND graintypestring = @GrainTypeString
     AND coalesce(grainidextensionstring, '''') = coalesce(@GrainIdExtensionString, '''')
     AND serviceid = @ServiceId AND version = @GrainStateVersion
  RETURNING version + 1 AS "NewGrainStateVersion"');

-- ---------------------------------------------------------------------------------------------------------
-- Cluster membership.
-- ---------------------------------------------------------------------------------------------------------
CREATE TABLE orleansmembershipversiontable
(
    deploymentid varchar(150)   NOT NULL PRIMARY KEY,
    "timestamp"  timestamptz(3) NOT NULL DEFAULT now(),
    version      integer        NOT NULL DEFAULT 0
);

CREATE TABLE orleansmembershiptable
(
    deploymentid varchar(150)   NOT NULL REFERENCES orleansmembershipversiontable (deploymentid),
    address      varchar(45)    NOT NULL,
    port         integer        NOT NULL,
    generation   integer        NOT NULL,
    siloname     varchar(150)   NOT NULL,
    hostname     varchar(150)   NOT NULL,
    status       integer        NOT NULL,
    proxyport    integer        NULL,
    suspecttimes varchar(8000)  NULL,
    starttime    timestamptz(3) NOT NULL,
    iamalivetime timestamptz(3) NOT NULL,
    PRIMARY KEY (deploymentid, address, port, generation)
);

-- Bumps the table version if it is still the one the silo read; then runs the row change. All or nothing.
CREATE FUNCTION kp_membership_insert(
    p_deployment varchar, p_address varchar, p_port integer, p_generation integer, p_siloname varchar,
    p_hostname varchar, p_status integer, p_proxyport integer, p_start timestamptz, p_alive timestamptz,
    p_version integer)
RETURNS TABLE (applied integer)
LANGUAGE plpgsql AS $$
DECLARE
    n integer;
BEGIN
    INSERT INTO orleansmembershiptable (deploymentid, address, port, generation, siloname, hostname, status,
                                        proxyport, starttime, iamalivetime)
    VALUES (p_deployment, p_address, p_port, p_generation, p_siloname, p_hostname, p_status, p_proxyport, p_start, p_alive)
    ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS n = ROW_COUNT;
    IF n = 0 THEN
        RETURN QUERY SELECT 0;
        RETURN;
    END IF;
    UPDATE orleansmembershipversiontable
       SET "timestamp" = now(), version = version + 1
     WHERE deploymentid = p_deployment AND version = p_version;
    GET DIAGNOSTICS n = ROW_COUNT;
    IF n = 0 THEN
        RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = 'kp_membership_version_mismatch';
    END IF;
    RETURN QUERY SELECT 1;
EXCEPTION
    WHEN raise_exception THEN
        RETURN QUERY SELECT 0;
END
$$;

CREATE FUNCTION kp_membership_update(
    p_deployment varchar, p_address varchar, p_port integer, p_generation integer, p_status integer,
    p_suspecttimes varchar, p_alive timestamptz, p_version integer)
RETURNS TABLE (applied integer)
LANGUAGE plpgsql AS $$
DECLARE
    n integer;
BEGIN
    UPDATE orleansmembershipversiontable
       SET "timestamp" = now(), version = version + 1
     WHERE deploymentid = p_deployment AND version = p_version;
    GET DIAGNOSTICS n = ROW_COUNT;
    IF n = 0 THEN
        RETURN QUERY SELECT 0;
        RETURN;
    END IF;
    UPDATE orleansmembershiptable
       SET status = p_status, suspecttimes = p_suspecttimes, iamalivetime = p_alive
     WHERE deploymentid = p_deployment AND address = p_address AND port = p_port AND generation = p_generation;
    GET DIAGNOSTICS n = ROW_COUNT;
    IF n = 0 THEN
        RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = 'kp_membership_row_missing';
    END IF;
    RETURN QUERY SELECT 1;
EXCEPTION
    WHEN raise_exception THEN
        RETURN QUERY SELECT 0;
END
$$;

INSERT INTO orleansquery (querykey, querytext) VALUES
('UpdateIAmAlivetimeKey',
 'UPDATE orleansmembershiptable SET iamalivetime = @IAmAliveTime
   WHERE deploymentid = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation'),
('InsertMembershipVersionKey',
 'WITH inserted AS (
      INSERT INTO orleansmembershipversiontable (deploymentid) VALUES (@DeploymentId)
      ON CONFLICT DO NOTHING RETURNING 1)
  SELECT count(*)::integer FROM inserted'),
('InsertMembershipKey',
 'SELECT applied FROM kp_membership_insert(@DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version)'),
('UpdateMembershipKey',
 'SELECT applied FROM kp_membership_update(@DeploymentId, @Address, @Port, @Generation, @Status, @SuspectTimes, @IAmAliveTime, @Version)'),
('MembershipReadRowKey',
 'SELECT v.deploymentid AS "DeploymentId", m.address AS "Address", m.port AS "Port", m.generation AS "Generation",
         m.siloname AS "SiloName", m.hostname AS "HostName", m.status AS "Status", m.proxyport AS "ProxyPort",
         m.suspecttimes AS "SuspectTimes", m.starttime AS "StartTime", m.iamalivetime AS "IAmAliveTime", v.version AS "Version"
    FROM orleansmembershipversiontable v
    LEFT JOIN orleansmembershiptable m
      ON m.deploymentid = v.deploymentid AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
   WHERE v.deploymentid = @DeploymentId'),
('MembershipReadAllKey',
 'SELECT v.deploymentid AS "DeploymentId", m.address AS "Address", m.port AS "Port", m.generation AS "Generation",
         m.siloname AS "SiloName", m.hostname AS "HostName", m.status AS "Status", m.proxyport AS "ProxyPort",
         m.suspecttimes AS "SuspectTimes", m.starttime AS "StartTime", m.iamalivetime AS "IAmAliveTime", v.version AS "Version"
    FROM orleansmembershipversiontable v
    LEFT JOIN orleansmembershiptable m ON m.deploymentid = v.deploymentid
   WHERE v.deploymentid = @DeploymentId'),
('DeleteMembershipTableEntriesKey',
 'DELETE FROM orleansmembershiptable WHERE deploymentid = @DeploymentId;
  DELETE FROM orleansmembershipversiontable WHERE deploymentid = @DeploymentId'),
('GatewaysQueryKey',
 'SELECT address AS "Address", proxyport AS "ProxyPort", generation AS "Generation"
    FROM orleansmembershiptable
   WHERE deploymentid = @DeploymentId AND status = @Status AND proxyport > 0'),
('CleanupDefunctSiloEntriesKey',
 'DELETE FROM orleansmembershiptable
   WHERE deploymentid = @DeploymentId AND iamalivetime < @IAmAliveTime AND status <> 3');

-- ---------------------------------------------------------------------------------------------------------
-- Reminders (durable deadlines).
-- ---------------------------------------------------------------------------------------------------------
CREATE TABLE orleansreminderstable
(
    serviceid    varchar(150)   NOT NULL,
    grainid      varchar(150)   NOT NULL,
    remindername varchar(150)   NOT NULL,
    starttime    timestamptz(3) NOT NULL,
    period       bigint         NOT NULL,
    grainhash    integer        NOT NULL,
    version      integer        NOT NULL,
    PRIMARY KEY (serviceid, grainid, remindername)
);

INSERT INTO orleansquery (querykey, querytext) VALUES
('UpsertReminderRowKey',
 'INSERT INTO orleansreminderstable (serviceid, grainid, remindername, starttime, period, grainhash, version)
  VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
  ON CONFLICT (serviceid, grainid, remindername) DO UPDATE
     SET starttime = excluded.starttime, period = excluded.period, grainhash = excluded.grainhash,
         version = orleansreminderstable.version + 1
  RETURNING version AS "Version"'),
('ReadReminderRowsKey',
 'SELECT grainid AS "GrainId", remindername AS "ReminderName", starttime AS "StartTime", period AS "Period", version AS "Version"
    FROM orleansreminderstable WHERE serviceid = @ServiceId AND grainid = @GrainId'),
('ReadReminderRowKey',
 'SELECT grainid AS "GrainId", remindername AS "ReminderName", starttime AS "StartTime", period AS "Period", version AS "Version"
    FROM orleansreminderstable WHERE serviceid = @ServiceId AND grainid = @GrainId AND remindername = @ReminderName'),
('ReadRangeRows1Key',
 'SELECT grainid AS "GrainId", remindername AS "ReminderName", starttime AS "StartTime", period AS "Period", version AS "Version"
    FROM orleansreminderstable WHERE serviceid = @ServiceId AND grainhash > @BeginHash AND grainhash <= @EndHash'),
('ReadRangeRows2Key',
 'SELECT grainid AS "GrainId", remindername AS "ReminderName", starttime AS "StartTime", period AS "Period", version AS "Version"
    FROM orleansreminderstable WHERE serviceid = @ServiceId AND (grainhash > @BeginHash OR grainhash <= @EndHash)'),
('DeleteReminderRowKey',
 'WITH deleted AS (
      DELETE FROM orleansreminderstable
       WHERE serviceid = @ServiceId AND grainid = @GrainId AND remindername = @ReminderName AND version = @Version
      RETURNING 1)
  SELECT count(*)::integer FROM deleted'),
('DeleteReminderRowsKey',
 'DELETE FROM orleansreminderstable WHERE serviceid = @ServiceId');
