-- MATCH_RECOGNIZE partition row store (src/mr_rowstore.c) through its
-- internal exercise _mr_rowstore_check: two partitions of generated rows,
-- random fetches (mostly the newest rows, some far back, some released or
-- absent) into several slots, releases from the front, every value checked
-- (any difference is an error).  The number of spilled rows depends on
-- memory chunk sizes, so it is shown only as more than zero or zero.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS asset_stream CASCADE;
RESET client_min_messages;

CREATE FUNCTION pg_temp.rowstore(nrows integer, mem_kb integer, seed integer DEFAULT 1,
                                 OUT summary text, OUT spilled bigint)
LANGUAGE sql AS $$
  SELECT regexp_replace(s, '\d+ spilled', 'N spilled'),
         (regexp_match(s, '(\d+) spilled'))[1]::bigint
  FROM asset_stream._mr_rowstore_check(nrows, mem_kb, seed) AS s
$$;

-- 64 kB: most of the backlog goes to the temporary file.
SELECT summary, spilled > 0 AS spilled FROM pg_temp.rowstore(100000, 64);
-- 64 MB: everything stays in memory.
SELECT summary, spilled FROM pg_temp.rowstore(20000, 65536);
-- Budget 0: every row but the newest is spilled at once; 1 kB: rows larger
-- than the budget (up to 6 kB) stay in memory while they are the newest.
SELECT summary, spilled > 0 AS spilled FROM pg_temp.rowstore(5000, 0, 2);
SELECT summary, spilled > 0 AS spilled FROM pg_temp.rowstore(5000, 1, 3);
-- No rows; one row.
SELECT summary, spilled FROM pg_temp.rowstore(0, 64);
SELECT summary, spilled FROM pg_temp.rowstore(1, 64);
SELECT summary, spilled FROM pg_temp.rowstore(1, 0);
-- Negative arguments.
SELECT asset_stream._mr_rowstore_check(-1, 64);
SELECT asset_stream._mr_rowstore_check(10, -1);
