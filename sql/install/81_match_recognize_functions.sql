-- MATCH_RECOGNIZE expressions (docs/match_recognize.md, "Expressions"):
-- placeholders the expression compiler (src/mr_expr.c) redirects PREV,
-- NEXT, FIRST, LAST, CLASSIFIER, MATCH_NUMBER, MATCH_STATUS and
-- MATCH_DEADLINE to, so that PostgreSQL's analyzer can type them; each is
-- then replaced by the pattern matcher's own evaluation.  Called directly,
-- they raise an error.

CREATE FUNCTION _mr_nav(anyelement)
RETURNS anyelement
AS 'MODULE_PATHNAME', 'mr_placeholder_sql'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION _mr_nav(anyelement) IS
'Internal: placeholder of PREV, NEXT, FIRST and LAST in MATCH_RECOGNIZE DEFINE and MEASURES';

CREATE FUNCTION _mr_classifier()
RETURNS text
AS 'MODULE_PATHNAME', 'mr_placeholder_sql'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION _mr_classifier() IS
'Internal: placeholder of CLASSIFIER() in MATCH_RECOGNIZE DEFINE and MEASURES';

CREATE FUNCTION _mr_match_number()
RETURNS bigint
AS 'MODULE_PATHNAME', 'mr_placeholder_sql'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION _mr_match_number() IS
'Internal: placeholder of MATCH_NUMBER() in MATCH_RECOGNIZE DEFINE and MEASURES';

CREATE FUNCTION _mr_match_status()
RETURNS text
AS 'MODULE_PATHNAME', 'mr_placeholder_sql'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION _mr_match_status() IS
'Internal: placeholder of MATCH_STATUS() in MATCH_RECOGNIZE MEASURES';

CREATE FUNCTION _mr_match_deadline()
RETURNS timestamptz
AS 'MODULE_PATHNAME', 'mr_placeholder_sql'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION _mr_match_deadline() IS
'Internal: placeholder of MATCH_DEADLINE() in MATCH_RECOGNIZE MEASURES';
