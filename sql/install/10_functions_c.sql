-- C functions: the read check of every stream, and the worker controls.

CREATE FUNCTION read_is_valid(asset_id text, event_time timestamptz)
RETURNS boolean
AS 'MODULE_PATHNAME', 'read_is_valid'
LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION read_is_valid(text, timestamptz) IS
'CHECK constraint of every stream: rejects an empty or oversize asset_id and an event_time that is infinite or further ahead than asset_stream.max_future';

CREATE FUNCTION worker_status(
    OUT kind text, OUT database text, OUT pid integer,
    OUT started_at timestamptz, OUT last_run_at timestamptz,
    OUT runs bigint, OUT failures bigint, OUT last_error text)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'worker_status'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION worker_status() IS
'The asset_stream launcher and maintenance workers of this cluster, with their last runs; needs shared_preload_libraries';

CREATE FUNCTION _workers_available()
RETURNS boolean
AS 'MODULE_PATHNAME', 'workers_available'
LANGUAGE C VOLATILE;

CREATE FUNCTION _wake_launcher()
RETURNS void
AS 'MODULE_PATHNAME', 'wake_launcher'
LANGUAGE C VOLATILE;
