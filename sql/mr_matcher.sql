-- MATCH_RECOGNIZE push matcher (_mr_match_stream): WITHIN, EMIT TIMEOUTS,
-- FOLLOWED BY NO, `$`, replays after AFTER MATCH SKIP, history-dependent
-- conditions, the partial-match cap, errors.  Every expected row was checked
-- by hand against docs/match_recognize.md §2-§3.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS asset_stream CASCADE;
RESET client_min_messages;

-- The output as "match:row=CLASSIFIER" (row NULL for an empty match, match
-- "-" for an unmatched row, "(T)" after a timed-out match's rows).  Times
-- are minutes after 2024-01-01 00:00 UTC; until likewise (NULL: infinity).
-- Each case runs five ways that must agree: plain; serialized and restored
-- after every row; as if conditions depended on the label history;
-- advancing the watermark to just before each next row; the backtracking
-- reference.
CREATE FUNCTION pg_temp.s(clause text, rows text[], mins numeric[] DEFAULT NULL,
                          until numeric DEFAULT NULL, history_free boolean DEFAULT true)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  t0 timestamptz := '2024-01-01 00:00+00';
  times timestamptz[] := (SELECT array_agg(t0 + m * interval '1 minute' ORDER BY o)
                            FROM unnest(mins) WITH ORDINALITY AS u(m, o));
  cu timestamptz := coalesce(t0 + until * interval '1 minute', 'infinity');
  variant text;
  v text;
  res text;
  st text;
  msg text;
BEGIN
  FOREACH variant IN ARRAY ARRAY['plain', 'roundtrip', 'history', 'watermarks', 'reference'] LOOP
    BEGIN
      SELECT coalesce(string_agg(coalesce(match_number::text, '-') || ':' || coalesce(row_index::text, '-')
                                 || coalesce('=' || classifier, '')
                                 || CASE WHEN status = 'TIMEOUT' THEN '(T)' ELSE '' END, ' ' ORDER BY ord), '(none)')
        INTO v
        FROM asset_stream._mr_match_stream(clause, rows, times, cu,
                                           roundtrip => variant = 'roundtrip',
                                           history_free => history_free AND variant <> 'history',
                                           watermarks => variant = 'watermarks',
                                           reference => variant = 'reference')
             WITH ORDINALITY AS t(match_number, row_index, classifier, status, ord);
    EXCEPTION WHEN OTHERS THEN
      GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
      v := st || ': ' || msg;
    END;
    IF res IS NULL THEN
      res := v;
    ELSIF v IS DISTINCT FROM res THEN
      RETURN 'MISMATCH ' || variant || ': ' || v || ' plain: ' || res;
    END IF;
  END LOOP;
  RETURN res;
END $$;

-- SQLSTATE, message and hint of an error (or 'ok').
CREATE FUNCTION pg_temp.err(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE st text; msg text; hint text;
BEGIN
  EXECUTE q;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, hint = PG_EXCEPTION_HINT;
  RETURN st || ': ' || msg || coalesce(' | ' || nullif(hint, ''), '');
END $$;

------------------------------------------------------------------- WITHIN
-- The border is strict: a row exactly `within` after the first one is out.
SELECT pg_temp.s('PATTERN (a b) WITHIN INTERVAL ''10 minutes''', '{a, b}', '{0, 9.5}');
SELECT pg_temp.s('PATTERN (a b) WITHIN INTERVAL ''10 minutes''', '{a, b}', '{0, 10}');
-- Start row 0 cannot reach b in time, start row 1 can (its threads are not
-- pruned in favour of the earlier start row's).
SELECT pg_temp.s('ALL ROWS PER MATCH WITH UNMATCHED ROWS PATTERN (a+ b) WITHIN INTERVAL ''10 minutes''',
                 '{a, a, a, b}', '{0, 5, 8, 12}');
-- Without WITHIN the same rows match from row 0.
SELECT pg_temp.s('ALL ROWS PER MATCH WITH UNMATCHED ROWS PATTERN (a+ b)', '{a, a, a, b}', '{0, 5, 8, 12}');

------------------------------------------------------------ EMIT TIMEOUTS
-- Row 0's deadline (10) passes before x: its partial match a b times out.
SELECT pg_temp.s('ONE ROW PER MATCH PATTERN (a b c) WITHIN INTERVAL ''10 minutes'' EMIT TIMEOUTS',
                 '{a, b, x}', '{0, 5, 20}');
SELECT pg_temp.s('ALL ROWS PER MATCH WITH UNMATCHED ROWS PATTERN (a b c) WITHIN INTERVAL ''10 minutes'' EMIT TIMEOUTS',
                 '{a, b, x}', '{0, 5, 20}');
-- SKIP TO NEXT ROW after a timeout: the search restarts at row 1, whose own
-- partial match a b times out at 12, just before c (12 - 2 is not < 10);
-- row 2 lies in a timed-out match, row 3 is unmatched.
SELECT pg_temp.s('ALL ROWS PER MATCH WITH UNMATCHED ROWS AFTER MATCH SKIP TO NEXT ROW
                  PATTERN (a b+ c) WITHIN INTERVAL ''10 minutes'' EMIT TIMEOUTS',
                 '{a, "a b", b, c}', '{0, 2, 4, 12}');
-- No timeout when the partial match died before its deadline.
SELECT pg_temp.s('ALL ROWS PER MATCH WITH UNMATCHED ROWS PATTERN (a b c) WITHIN INTERVAL ''10 minutes'' EMIT TIMEOUTS',
                 '{a, x}', '{0, 1}');
-- Not yet due when the input ends (complete_until 9.9, 10, never).
SELECT pg_temp.s('ALL ROWS PER MATCH WITH UNMATCHED ROWS PATTERN (a b c) WITHIN INTERVAL ''10 minutes'' EMIT TIMEOUTS',
                 '{a, b}', '{0, 5}', 9.9);
SELECT pg_temp.s('ALL ROWS PER MATCH WITH UNMATCHED ROWS PATTERN (a b c) WITHIN INTERVAL ''10 minutes'' EMIT TIMEOUTS',
                 '{a, b}', '{0, 5}', 10);
SELECT pg_temp.s('ALL ROWS PER MATCH WITH UNMATCHED ROWS PATTERN (a b c) WITHIN INTERVAL ''10 minutes'' EMIT TIMEOUTS',
                 '{a, b}', '{0, 5}');
-- A completed match of the start row wins over its timed-out partial match,
-- even a less preferred one.
SELECT pg_temp.s('ALL ROWS PER MATCH WITH UNMATCHED ROWS PATTERN (a b c | a) WITHIN INTERVAL ''10 minutes'' EMIT TIMEOUTS',
                 '{a, b}', '{0, 1}');
-- A timed-out partial match of row 0 comes before the match of row 1;
-- without EMIT TIMEOUTS row 1 matches.
SELECT pg_temp.s('ALL ROWS PER MATCH PATTERN (a b c | b) WITHIN INTERVAL ''10 minutes'' EMIT TIMEOUTS',
                 '{a, b, x}', '{0, 1, 20}');
SELECT pg_temp.s('ALL ROWS PER MATCH PATTERN (a b c | b) WITHIN INTERVAL ''10 minutes''',
                 '{a, b, x}', '{0, 1, 20}');
-- The most preferred partial match gives the labels (its live threads have
-- all taken the same rows).
SELECT pg_temp.s('ALL ROWS PER MATCH PATTERN ((a | b)+ c) WITHIN INTERVAL ''10 minutes'' EMIT TIMEOUTS',
                 '{"a b", "a b"}', '{0, 1}');
SELECT pg_temp.s('ALL ROWS PER MATCH PATTERN ((b | a)+ c) WITHIN INTERVAL ''10 minutes'' EMIT TIMEOUTS',
                 '{"a b", "a b"}', '{0, 1}');

------------------------------------------------------------ FOLLOWED BY NO
-- NO ROW: x 2 minutes after b ends the candidate; x exactly 5 minutes
-- after b does not (the period is over first); 4.5 minutes after does.
SELECT pg_temp.s('ALL ROWS PER MATCH WITH UNMATCHED ROWS PATTERN (a b) FOLLOWED BY NO ROW FOR INTERVAL ''5 minutes''',
                 '{a, b, x}', '{0, 1, 3}');
SELECT pg_temp.s('ALL ROWS PER MATCH WITH UNMATCHED ROWS PATTERN (a b) FOLLOWED BY NO ROW FOR INTERVAL ''5 minutes''',
                 '{a, b, x}', '{0, 1, 6}');
SELECT pg_temp.s('ALL ROWS PER MATCH WITH UNMATCHED ROWS PATTERN (a b) FOLLOWED BY NO ROW FOR INTERVAL ''5 minutes''',
                 '{a, b, x}', '{0, 1, 5.5}');
-- NO c (c only declared in DEFINE): x does not qualify, c does (3 minutes
-- after b), or comes too late to matter (6 minutes after).
SELECT pg_temp.s('ALL ROWS PER MATCH WITH UNMATCHED ROWS PATTERN (a b) FOLLOWED BY NO c FOR INTERVAL ''5 minutes''
                  DEFINE c AS kind = ''c''',
                 '{a, b, x, c}', '{0, 1, 2, 4}');
SELECT pg_temp.s('ALL ROWS PER MATCH WITH UNMATCHED ROWS PATTERN (a b) FOLLOWED BY NO c FOR INTERVAL ''5 minutes''
                  DEFINE c AS kind = ''c''',
                 '{a, b, x, c}', '{0, 1, 2, 7}');
-- A repeated absence restarts its clock: every r within 5 minutes of the
-- last one ends the candidate and r+ takes it; the last r is at 7, so the
-- match is complete at 12 (complete_until 11.9: not yet; 12: yes).
SELECT pg_temp.s('ALL ROWS PER MATCH PATTERN (a r+) FOLLOWED BY NO r FOR INTERVAL ''5 minutes''',
                 '{a, r, r, r}', '{0, 1, 3, 7}');
SELECT pg_temp.s('ALL ROWS PER MATCH PATTERN (a r+) FOLLOWED BY NO r FOR INTERVAL ''5 minutes''',
                 '{a, r, r, r}', '{0, 1, 3, 7}', 11.9);
SELECT pg_temp.s('ALL ROWS PER MATCH PATTERN (a r+) FOLLOWED BY NO r FOR INTERVAL ''5 minutes''',
                 '{a, r, r, r}', '{0, 1, 3, 7}', 12);
-- ... with NO ROW any row ends it: x kills the candidate a r and is no r.
SELECT pg_temp.s('ALL ROWS PER MATCH PATTERN (a r+) FOLLOWED BY NO ROW FOR INTERVAL ''5 minutes''',
                 '{a, r, x}', '{0, 1, 3}');
-- A waiting match does not end less preferred threads: b ends "a", and
-- "a b" then matches; b after the period: "a" was complete first.
SELECT pg_temp.s('ALL ROWS PER MATCH PATTERN (a | a b) FOLLOWED BY NO ROW FOR INTERVAL ''5 minutes''',
                 '{a, b}', '{0, 1}');
SELECT pg_temp.s('ALL ROWS PER MATCH PATTERN (a | a b) FOLLOWED BY NO ROW FOR INTERVAL ''5 minutes''',
                 '{a, b}', '{0, 6}');
-- An empty match does not wait (it has no last row); the non-empty match of
-- row 1 does, and with complete_until 5 its period is not over: the empty
-- match of row 1 (less preferred) is the result.
SELECT pg_temp.s('ONE ROW PER MATCH PATTERN (a*) FOLLOWED BY NO ROW FOR INTERVAL ''5 minutes''',
                 '{x, a}', '{0, 1}');
SELECT pg_temp.s('ONE ROW PER MATCH PATTERN (a*) FOLLOWED BY NO ROW FOR INTERVAL ''5 minutes''',
                 '{x, a}', '{0, 1}', 5);
-- WITHIN and FOLLOWED BY NO: the absence period is not part of the span.
SELECT pg_temp.s('ALL ROWS PER MATCH PATTERN (a b) WITHIN INTERVAL ''2 minutes'' FOLLOWED BY NO ROW FOR INTERVAL ''5 minutes''',
                 '{a, b, x}', '{0, 1, 7}');

------------------------------------------------------------------------ $
-- `$` holds only when the partition ends: a thread at `$` dies when a row
-- comes.
SELECT pg_temp.s('ALL ROWS PER MATCH PATTERN (a+ $)', '{a, a, b, a, a}');
SELECT pg_temp.s('ALL ROWS PER MATCH PATTERN (a $ $ | a b)', '{a}');
SELECT pg_temp.s('ALL ROWS PER MATCH PATTERN (a $ $ | a b)', '{a, b}');
-- At the end `$` is resolved before the timeouts due then: a match.
SELECT pg_temp.s('ALL ROWS PER MATCH PATTERN (a+ $) WITHIN INTERVAL ''10 minutes'' EMIT TIMEOUTS',
                 '{a, a}', '{0, 5}');
-- A row after the deadline: the partial match a a (waiting for a third a,
-- not the thread waiting at `$`) timed out.
SELECT pg_temp.s('ALL ROWS PER MATCH PATTERN (a+ $) WITHIN INTERVAL ''10 minutes'' EMIT TIMEOUTS',
                 '{a, a, b}', '{0, 5, 20}');

-------------------------------------------------------------- replays
-- SKIP TO NEXT ROW re-reads rows already pushed, at the end of the input ...
SELECT pg_temp.s('ALL ROWS PER MATCH AFTER MATCH SKIP TO NEXT ROW PATTERN (a b+)', '{a, "a b", b, b}');
-- ... and in the middle, twice (x ends both matches; row 4 starts a third).
SELECT pg_temp.s('ALL ROWS PER MATCH AFTER MATCH SKIP TO NEXT ROW PATTERN (a b+)', '{a, "a b", b, x, a, b}');
-- ... three times at the end: SKIP TO FIRST b resumes inside each match.
SELECT pg_temp.s('ALL ROWS PER MATCH WITH UNMATCHED ROWS AFTER MATCH SKIP TO FIRST b PATTERN (a b+)',
                 '{a, "a b", "a b", b}');
-- A runtime skip error in a replayed search: match 2 (b c from row 2)
-- would resume at its own first row.
SELECT pg_temp.s('ALL ROWS PER MATCH WITH UNMATCHED ROWS AFTER MATCH SKIP TO LAST b PATTERN (a b+ | b c)',
                 '{a, b, "b c", c, x}');

-------------------------------------------------- history-dependent conditions
-- "c/b": c holds if the row before it in the match is labelled b.  The most
-- preferred thread (a a) fails at c, a less preferred one (a b) at the same
-- instruction succeeds: threads with other label histories are not pruned.
SELECT pg_temp.s('ALL ROWS PER MATCH PATTERN ((a | b)+ c)', '{"a b", "a b", "c/b"}', history_free => false);
SELECT pg_temp.s('ALL ROWS PER MATCH PATTERN ((a | b)+ c)', '{"a b", "a b", "c/a"}', history_free => false);
SELECT pg_temp.s('ALL ROWS PER MATCH PATTERN ((a | b)+ c)', '{"a b", "a b", "c/c"}', history_free => false);

----------------------------------------------------------------- the cap
-- With history-dependent conditions every label sequence is its own thread:
-- (a | b)+ over rows that are both doubles them at each row (and each
-- waits at three instructions: a, b, c).  8 rows: about 1500 threads.
SELECT pg_temp.err($$SELECT * FROM asset_stream._mr_match_stream('PATTERN ((a | b)+ c)',
                     array_fill('a b'::text, ARRAY[8]), max_threads => 1000, history_free => false)$$);
SELECT count(*) FROM asset_stream._mr_match_stream('PATTERN ((a | b)+ c)',
                     array_fill('a b'::text, ARRAY[8]), max_threads => 2000, history_free => false);
-- History-free, one thread per instruction: far below the cap.
SELECT count(*) FROM asset_stream._mr_match_stream('PATTERN ((a | b)+ c)',
                     array_fill('a b'::text, ARRAY[1000]), max_threads => 10);

----------------------------------------------------------------- errors
SELECT pg_temp.err($$SELECT * FROM asset_stream._mr_match_stream('PATTERN (a) WITHIN INTERVAL ''1 minute''', '{a}')$$);
SELECT pg_temp.err($$SELECT * FROM asset_stream._mr_match_stream('PATTERN (a) FOLLOWED BY NO ROW FOR INTERVAL ''1 minute''', '{a, a}',
                     '{2024-01-01 00:00+00, NULL}')$$);
SELECT pg_temp.err($$SELECT * FROM asset_stream._mr_match_stream('PATTERN (a) WITHIN INTERVAL ''1 minute''', '{a, a}',
                     '{2024-01-01 00:00+00}')$$);
SELECT pg_temp.err($$SELECT * FROM asset_stream._mr_match_stream('PATTERN (a b) WITHIN INTERVAL ''1 minute''', '{a, b}',
                     '{2024-01-01 00:01+00, 2024-01-01 00:00+00}')$$);
SELECT pg_temp.err($$SELECT * FROM asset_stream._mr_match_stream('PATTERN (a) WITHIN INTERVAL ''1 month''', '{a}',
                     '{2024-01-01 00:00+00}')$$);
SELECT pg_temp.err($$SELECT * FROM asset_stream._mr_match_stream('PATTERN (a) WITHIN INTERVAL ''1 minute''', '{a}',
                     '{2024-01-01 00:00+00}', NULL)$$);
SELECT pg_temp.err($$SELECT * FROM asset_stream._mr_match_stream('PATTERN (a b)', '{a, b/a}')$$);
SELECT pg_temp.err($$SELECT * FROM asset_stream._mr_match('PATTERN (a b)', '{a, b/a}')$$);
-- Runtime skip errors are those of the batch matchers.
SELECT pg_temp.s('AFTER MATCH SKIP TO FIRST b PATTERN (a b?)', '{a, x}');
SELECT pg_temp.s('AFTER MATCH SKIP TO FIRST a PATTERN (a b)', '{a, b}');
-- NULL clause or rows: no rows.
SELECT count(*) FROM asset_stream._mr_match_stream(NULL, '{a}');
