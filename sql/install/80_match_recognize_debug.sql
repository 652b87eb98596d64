-- MATCH_RECOGNIZE foundation: internal functions over the clause parser, the
-- pattern compiler and the two matchers (docs/match_recognize.md).  For tests
-- and diagnosis; the DEFINE results are given as input, not computed.

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
'Internal: run the clause''s pattern with the linear (thread list) matcher over one partition; rows[i] lists the pattern variables true at row i (e.g. ''{"A B", "B", "", "A"}''; other names are ignored). Applies AFTER MATCH SKIP and the rows-per-match mode; row_index is NULL for an empty match, match_number NULL for an unmatched row';

CREATE FUNCTION _mr_match_backtrack(clause text, rows text[],
                                    OUT match_number integer, OUT row_index integer, OUT classifier text)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'mr_match_backtrack_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION _mr_match_backtrack(text, text[]) IS
'Internal: as _mr_match, with the reference backtracking matcher (exponential in the worst case; for tests)';
