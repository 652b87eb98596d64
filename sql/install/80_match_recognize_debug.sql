-- MATCH_RECOGNIZE foundation: internal functions over the clause parser, the
-- pattern compiler and the matchers (docs/match_recognize.md).  For tests and
-- diagnosis; the DEFINE results are given as input, not computed.

CREATE FUNCTION _mr_parse(clause text)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'mr_parse_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION _mr_parse(text) IS
'Internal: the MATCH_RECOGNIZE clause parsed, as JSON (expressions as delimited text with 1-based character positions, the pattern deparsed and as a tree, variables with their CLASSIFIER labels)';

CREATE FUNCTION _mr_program(clause text, OUT pc integer, OUT instruction text)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'mr_program_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION _mr_program(text) IS
'Internal: the program the clause''s PATTERN compiles to (label, split x y with x preferred, jump, begin ^, end $, done)';

CREATE FUNCTION _mr_match(clause text, rows text[],
                          OUT match_number integer, OUT row_index integer, OUT classifier text)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'mr_match_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION _mr_match(text, text[]) IS
'Internal: run the clause''s pattern with the push (thread list) matcher over one partition; rows[i] lists the pattern variables true at row i (e.g. ''{"A B", "B", "", "A"}''; other names are ignored). Applies AFTER MATCH SKIP and the rows-per-match mode; row_index is NULL for an empty match, match_number NULL for an unmatched row';

CREATE FUNCTION _mr_match_backtrack(clause text, rows text[],
                                    OUT match_number integer, OUT row_index integer, OUT classifier text)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'mr_match_backtrack_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION _mr_match_backtrack(text, text[]) IS
'Internal: as _mr_match, with the reference backtracking matcher (exponential in the worst case; for tests). rows may also hold "v/u" items: v is true at the row if the row before it in the match is labelled u';

CREATE FUNCTION _mr_match_stream(clause text, rows text[], times timestamptz[] DEFAULT NULL,
                                 complete_until timestamptz DEFAULT 'infinity',
                                 roundtrip boolean DEFAULT false,
                                 max_threads integer DEFAULT 0,
                                 history_free boolean DEFAULT true,
                                 watermarks boolean DEFAULT false,
                                 reference boolean DEFAULT false,
                                 OUT match_number integer, OUT row_index integer,
                                 OUT classifier text, OUT status text)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'mr_match_stream_sql'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION _mr_match_stream(text, text[], timestamptz[], timestamptz, boolean, integer, boolean, boolean, boolean) IS
'Internal: push the rows one by one through the streaming matcher (times required with WITHIN or FOLLOWED BY NO, where a FOLLOWED BY NO v row qualifies if v is listed), then end the partition with event time complete up to complete_until. roundtrip: serialize, free and restore the matcher after every row. max_threads: the cap on partial matches (0: none). history_free => false: the matcher treats the conditions as depending on the label history (needed for "v/u" items; rows as for _mr_match_backtrack). watermarks: after each row, advance event time to just before the next row''s. reference: run the backtracking reference over the whole input instead (the same semantics, stated without threads). status: MATCH, TIMEOUT, or NULL for an unmatched row';
