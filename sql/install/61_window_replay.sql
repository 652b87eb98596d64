-- Window replay: the push-based window core (src/window_core.c) run over a
-- recorded stream in arrival order.  See docs/window_replay.md.

CREATE FUNCTION window_replay(
    input text,
    time_column text,
    key_column text,
    window_kind text,
    size interval,
    slide interval DEFAULT NULL,
    aggregates text DEFAULT 'count(*)',
    out_of_orderness interval DEFAULT '0',
    allowed_lateness interval DEFAULT '0',
    emit text DEFAULT 'final',
    flush_at_end boolean DEFAULT true,
    watermark_column text DEFAULT NULL,
    "offset" interval DEFAULT '0',
    max_open_windows bigint DEFAULT 1000000,
    stop_after bigint DEFAULT NULL,
    resume_from bytea DEFAULT NULL)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'window_replay'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION window_replay(text, text, text, text, interval, interval, text, interval, interval, text, boolean, text, interval, bigint, bigint, bytea) IS
'Replay a recorded stream (the input query, in its row order) through the event-time window operator and return every emission: kind final/update/late/missed/retract, watermark, ordinal, key, window and aggregate values; columns bind by name from AS (...)';

CREATE FUNCTION window_replay_snapshot(
    input text,
    time_column text,
    key_column text,
    window_kind text,
    size interval,
    slide interval DEFAULT NULL,
    aggregates text DEFAULT 'count(*)',
    out_of_orderness interval DEFAULT '0',
    allowed_lateness interval DEFAULT '0',
    emit text DEFAULT 'final',
    flush_at_end boolean DEFAULT true,
    watermark_column text DEFAULT NULL,
    "offset" interval DEFAULT '0',
    max_open_windows bigint DEFAULT 1000000,
    stop_after bigint DEFAULT NULL,
    resume_from bytea DEFAULT NULL)
RETURNS bytea
AS 'MODULE_PATHNAME', 'window_replay_snapshot'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION window_replay_snapshot(text, text, text, text, interval, interval, text, interval, interval, text, boolean, text, interval, bigint, bigint, bytea) IS
'The window_replay state (operator state, watermark, input position) after stop_after input rows (all rows if NULL), without the end-of-input flush; pass it to window_replay(..., resume_from => ...) to continue';
