-- MATCH_RECOGNIZE partition row store (src/mr_rowstore.c): an internal
-- exercise of the store without the driver, for tests
-- (docs/match_recognize.md, "Partition rows").

CREATE FUNCTION _mr_rowstore_check(nrows integer, mem_kb integer, seed integer DEFAULT 1)
RETURNS text
AS 'MODULE_PATHNAME', 'mr_rowstore_check_sql'
LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION _mr_rowstore_check(integer, integer, integer) IS
'Internal: append nrows generated rows (int8, text up to 6 kB or NULL, float8 or NULL) to a MATCH_RECOGNIZE row store with a budget of mem_kb kilobytes, fetching rows (mostly the newest, some far back, some released or absent) and releasing from the front; then reset and again. Checks every fetched value (error on any difference) and returns a summary';
