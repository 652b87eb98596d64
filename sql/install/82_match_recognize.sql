-- MATCH_RECOGNIZE as a set-returning function (docs/match_recognize.md).

CREATE FUNCTION match_recognize(input text, clause text,
                                complete_until timestamptz DEFAULT 'infinity')
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'mr_match_recognize'
LANGUAGE C VOLATILE CALLED ON NULL INPUT;
COMMENT ON FUNCTION match_recognize(text, text, timestamptz) IS
'Row pattern recognition (SQL:2016 MATCH_RECOGNIZE) over any query: clause is the text inside MATCH_RECOGNIZE ( ... ), plus WITHIN / EMIT TIMEOUTS / FOLLOWED BY NO; complete_until says how far in event time the input is complete (default: all of it). Bind output columns by name: AS t(col type, ...)';
