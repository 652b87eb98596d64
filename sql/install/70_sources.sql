-- Ingest sources: add_source(), drop_source(), enable_source(), the sources
-- view and the rejected reads (dead letters).  One background worker per
-- enabled source, started and stopped by the database's maintenance worker.

CREATE TABLE _sources (
    id         serial PRIMARY KEY,
    name       text NOT NULL UNIQUE CHECK (name <> ''),
    stream     regclass NOT NULL REFERENCES stream_config (relid) ON DELETE CASCADE,
    kind       text NOT NULL CHECK (kind IN ('mqtt', 'http')),
    options    jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(options) = 'object'),
    enabled    boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE _sources IS 'One row per ingest source made by add_source(); options hold secrets, so only the views are public';
SELECT pg_catalog.pg_extension_config_dump('_sources', '');

CREATE TABLE rejected (
    id          bigserial PRIMARY KEY,
    source      text NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    payload     text,
    error       text NOT NULL
);
CREATE INDEX ON rejected (received_at);
COMMENT ON TABLE rejected IS 'Payloads and rows an ingest source could not take, with the reason (dead letters)';
GRANT SELECT ON rejected TO PUBLIC;

CREATE FUNCTION _check_source_options(kind text, options jsonb)
RETURNS void AS 'MODULE_PATHNAME', 'as_check_source_options' LANGUAGE C STRICT;

CREATE FUNCTION _caller_may_insert(stream regclass)
RETURNS boolean AS 'MODULE_PATHNAME', 'as_caller_may_insert' LANGUAGE C STRICT;

CREATE FUNCTION _wake_sources()
RETURNS void AS 'MODULE_PATHNAME', 'as_wake_sources' LANGUAGE C;

CREATE FUNCTION _source_stats(
    OUT source_id integer, OUT state text, OUT pid integer,
    OUT rows_accepted bigint, OUT rows_rejected bigint, OUT batches bigint, OUT bytes bigint,
    OUT last_event_time timestamptz, OUT last_commit_at timestamptz, OUT lag interval,
    OUT last_error text, OUT last_error_at timestamptz, OUT started_at timestamptz)
RETURNS SETOF record AS 'MODULE_PATHNAME', 'as_source_stats' LANGUAGE C;

CREATE FUNCTION add_source(stream text, name text, kind text, options jsonb DEFAULT '{}')
RETURNS void
-- SECURITY DEFINER without a fixed search_path: the stream name resolves
-- in the caller's search_path; every other name here is qualified.
LANGUAGE plpgsql SECURITY DEFINER
AS $fn$
DECLARE
    relid regclass := asset_stream._stream_relid(stream);
BEGIN
    IF name IS NULL OR kind IS NULL OR options IS NULL THEN
        RAISE EXCEPTION 'name, kind and options must not be NULL'
              USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF name = '' THEN
        RAISE EXCEPTION 'source name must not be empty' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF NOT asset_stream._caller_may_insert(relid) THEN
        RAISE EXCEPTION 'permission denied for stream %', relid
              USING ERRCODE = 'insufficient_privilege',
                    DETAIL = 'Adding a source needs INSERT on the stream.';
    END IF;
    kind := lower(kind);
    IF kind NOT IN ('mqtt', 'http') THEN
        RAISE EXCEPTION 'unknown source kind "%"', kind
              USING ERRCODE = 'invalid_parameter_value', HINT = 'Use ''mqtt'' or ''http''.';
    END IF;
    IF EXISTS (SELECT 1 FROM asset_stream._sources s WHERE s.name = add_source.name) THEN
        RAISE EXCEPTION 'source "%" already exists', name USING ERRCODE = 'duplicate_object';
    END IF;
    PERFORM asset_stream._check_source_options(kind, options);
    INSERT INTO asset_stream._sources (name, stream, kind, options)
    VALUES (add_source.name, relid, kind, options);
    PERFORM asset_stream._wake_sources();
END
$fn$;
COMMENT ON FUNCTION add_source(text, text, text, jsonb) IS
'Add an MQTT or HTTP source writing into a stream; its worker starts within a second';

CREATE FUNCTION _source_for_update(name text)
RETURNS asset_stream._sources
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    src asset_stream._sources;
BEGIN
    SELECT * INTO src FROM asset_stream._sources s WHERE s.name = _source_for_update.name FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'source "%" does not exist', name USING ERRCODE = 'undefined_object';
    END IF;
    IF NOT asset_stream._caller_may_insert(src.stream) THEN
        RAISE EXCEPTION 'permission denied for source %', name USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN src;
END
$fn$;
REVOKE ALL ON FUNCTION _source_for_update(text) FROM PUBLIC;

CREATE FUNCTION drop_source(name text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    src asset_stream._sources := asset_stream._source_for_update(name);
BEGIN
    DELETE FROM asset_stream._sources WHERE id = src.id;
    PERFORM asset_stream._wake_sources();
END
$fn$;
COMMENT ON FUNCTION drop_source(text) IS 'Drop a source; its worker writes its open batch and stops';

CREATE FUNCTION enable_source(name text, enabled boolean)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    src asset_stream._sources := asset_stream._source_for_update(name);
BEGIN
    IF enabled IS NULL THEN
        RAISE EXCEPTION 'enabled must not be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    UPDATE asset_stream._sources SET enabled = enable_source.enabled WHERE id = src.id;
    PERFORM asset_stream._wake_sources();
END
$fn$;
COMMENT ON FUNCTION enable_source(text, boolean) IS 'Start (true) or stop (false) the worker of a source';

CREATE VIEW sources AS
SELECT s.name,
       s.stream,
       s.kind,
       s.enabled,
       coalesce(st.state, CASE WHEN s.enabled THEN 'starting' ELSE 'stopped' END) AS state,
       st.pid,
       coalesce(st.rows_accepted, 0) AS rows_accepted,
       coalesce(st.rows_rejected, 0) AS rows_rejected,
       coalesce(st.batches, 0) AS batches,
       coalesce(st.bytes, 0) AS bytes,
       st.last_error,
       st.last_error_at,
       st.last_event_time,
       st.lag,
       st.last_commit_at,
       st.started_at,
       s.options - 'password' - 'token' AS options
FROM asset_stream._sources s
LEFT JOIN asset_stream._source_stats() st ON st.source_id = s.id;
COMMENT ON VIEW sources IS
'Ingest sources with their worker state and live counters (since the server started); options without secrets';
GRANT SELECT ON sources TO PUBLIC;
