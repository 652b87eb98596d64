-- Window table functions: Flink's TUMBLE, HOP, CUMULATE and SESSION over
-- any query (docs/windows.md).  The caller's column definition list binds
-- by name to the input's columns and window_start, window_end, window_time.

-- Planner support of the four functions.  Calling it loads the library
-- while a query is planned, so the GROUP BY pushdown (window_pushdown.c)
-- applies from a session's first query even without shared_preload_libraries.
CREATE FUNCTION window_support(internal) RETURNS internal
AS 'MODULE_PATHNAME', 'window_support'
LANGUAGE C STRICT;

CREATE FUNCTION tumble(input text, time_column text, size interval,
                       "offset" interval DEFAULT '0')
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'window_tumble'
LANGUAGE C VOLATILE SUPPORT window_support;
COMMENT ON FUNCTION tumble(text, text, interval, interval) IS
'Tumbling windows (Flink TUMBLE): every row of the input query with the window [window_start, window_end) of the given size that holds its time, aligned to the epoch plus offset on the session TimeZone''s wall clock for timestamptz; window_time = window_end - 1 ms (on the local clock). Rows with a NULL time are dropped. Bind output columns by name: AS w(col type, ..., window_start timestamptz)';

CREATE FUNCTION hop(input text, time_column text, slide interval, size interval,
                    "offset" interval DEFAULT '0')
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'window_hop'
LANGUAGE C VOLATILE SUPPORT window_support;
COMMENT ON FUNCTION hop(text, text, interval, interval, interval) IS
'Hopping (sliding) windows (Flink HOP): every row of the input query once per window of the given size, starting every slide, that holds its time; size need not be a multiple of slide. window_time = window_end - 1 ms; NULL times are dropped; output columns bind by name';

CREATE FUNCTION cumulate(input text, time_column text, step interval, max_size interval,
                         "offset" interval DEFAULT '0')
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'window_cumulate'
LANGUAGE C VOLATILE SUPPORT window_support;
COMMENT ON FUNCTION cumulate(text, text, interval, interval, interval) IS
'Cumulating windows (Flink CUMULATE): windows aligned to max_size that grow by step; every row once per window [window_start, window_start + k*step) that holds its time. max_size must be a multiple of step; NULL times are dropped; output columns bind by name';

CREATE FUNCTION session(input text, time_column text, gap interval,
                        partition_by text DEFAULT NULL)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'window_session'
LANGUAGE C VOLATILE SUPPORT window_support;
COMMENT ON FUNCTION session(text, text, interval, text) IS
'Session windows (Flink SESSION): per value of the partition_by columns (a comma-separated list; one timeline if NULL), rows closer than or exactly gap apart share a session [first row, last row + gap); window_time = window_end - 1 ms. NULL times are dropped; output columns bind by name';
