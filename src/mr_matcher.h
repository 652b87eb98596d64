/*-------------------------------------------------------------------------
 *
 * mr_matcher.h
 *	  The push-based MATCH_RECOGNIZE matcher: pure C, no SPI, no tuples.
 *
 * The driver pushes a partition's rows one at a time (only their event
 * times; the rows themselves stay with the driver).  The matcher asks the
 * driver whether a pattern variable's DEFINE holds at a row, given the
 * labels the thread has given the earlier rows of its match, and reports
 * every outcome through emit, in output order: matches (in MATCH_NUMBER
 * order), timed-out partial matches (WITHIN ... EMIT TIMEOUTS) and, with
 * ALL ROWS PER MATCH WITH UNMATCHED ROWS, unmatched rows.
 *
 * It runs the program of mr_pattern.h with the linear thread list
 * (Pike VM) of docs/match_recognize.md §2, in push form:
 *	- a search completes when a match is recorded and no more preferred
 *	  thread is alive; AFTER MATCH SKIP then restarts the search at a row
 *	  that may already have been pushed, and the matcher replays the
 *	  retained rows from there (conditions are asked again; history-free
 *	  results are cached per row);
 *	- `$` holds only at mr_matcher_finish(): a thread at END waits there and
 *	  dies when another row arrives;
 *	- thread equivalence: with history-free conditions (each DEFINE sees
 *	  only its row and physical PREV/NEXT), the first thread to reach an
 *	  instruction at a row wins (bounded by the program size); otherwise
 *	  only threads with the same start row and the same labels are
 *	  equivalent, and the number of live threads is capped (54000);
 *	- WITHIN: a thread may not consume a row whose time is `within` or more
 *	  after its start row's time; threads with different start rows are
 *	  then never equivalent;
 *	- EMIT TIMEOUTS: when time reaches first + within (a pushed row's time
 *	  or the watermark) and the leftmost live start row has live threads
 *	  but no recorded match, its most preferred live thread is emitted as
 *	  a TIMEOUT match over the rows it consumed;
 *	- FOLLOWED BY NO: a thread reaching DONE waits (a pending match) until
 *	  time reaches last + interval without a qualifying row (then it is
 *	  recorded as a match) or a qualifying row arrives (then it dies).
 *	  Pending matches do not end less preferred threads (the pending one
 *	  may still die); an empty match does not wait (it has no last row).
 *	- a timed-out partial match is taken from the threads waiting for a
 *	  row (not from one waiting at `$`); a completed match of the same
 *	  start row, even a less preferred one that completes later, wins over
 *	  it.
 *
 * Row indexes are 0-based within the partition; times are int64
 * microseconds (TimestampTz or Timestamp), ignored without WITHIN and
 * FOLLOWED BY NO; with them, a partition's rows must come in
 * non-decreasing time order (22000 otherwise).  Intervals with months are
 * rejected (0A000); a day is 24 hours.
 *
 *-------------------------------------------------------------------------
 */
#ifndef MR_MATCHER_H
#define MR_MATCHER_H

#include "common/int.h"
#include "lib/stringinfo.h"

#include "mr_clause.h"
#include "mr_pattern.h"

typedef enum MrResultKind
{
	MR_RESULT_MATCH,			/* a match (possibly empty: start == end) */
	MR_RESULT_TIMEOUT,			/* a partial match that timed out */
	MR_RESULT_UNMATCHED			/* one unmatched row: start, end = start + 1 */
} MrResultKind;

/*
 * Empty matches (start == end) are reported as MR_RESULT_MATCH whatever
 * the rows-per-match mode: they take a MATCH_NUMBER, so the caller needs
 * them even with OMIT EMPTY MATCHES (then it outputs nothing for them).
 * An unmatched row has vars[0] = -1 (no variable).
 */
typedef struct MrResult
{
	MrResultKind kind;
	int64		match_number;	/* 0 for an unmatched row */
	int64		start;			/* rows [start, end) */
	int64		end;
	const int32 *vars;			/* end - start primary variables */
	const bool *excluded;		/* end - start exclusion flags */
	int64		deadline;		/* TIMEOUT: time of start + within */
} MrResult;

/*
 * define: is primary variable var true at row `row`, for a thread whose
 * match starts at `start` and whose rows start .. row - 1 carry the labels
 * labels[0 .. row - start - 1] (row itself is being tried as var)?
 * labels is NULL when the matcher was created history_free: then the
 * answer may depend only on the row (the matcher caches it, across matches
 * too: not on match_number either).
 * match_number is the number the match would get.  Also used for the
 * variable of FOLLOWED BY NO v with start == row and no labels.
 *
 * emit: one result; its arrays are valid during the call only.
 */
typedef struct MrMatcherHooks
{
	bool		(*define) (void *arg, int var, int64 row, int64 start,
						   const int32 *labels, int64 match_number);
	void		(*emit) (void *arg, const MrResult *result);
	void	   *arg;
} MrMatcherHooks;

typedef struct MrMatcher MrMatcher;

/*
 * max_threads: live threads (partial matches) allowed before an error
 * (ERRCODE_PROGRAM_LIMIT_EXCEEDED naming asset_stream.max_partial_matches);
 * <= 0: no limit.  The matcher allocates in its own memory context, a
 * child of the current one.
 */
extern MrMatcher *mr_matcher_create(const MrClause *clause, const MrProgram *prog,
									bool history_free, int max_threads,
									const MrMatcherHooks *hooks);

/* Push the next row of the partition (index = rows pushed so far). */
extern void mr_matcher_push(MrMatcher *m, int64 time);

/*
 * Event time is complete up to watermark (within this partition, rows
 * with a later time may still come): timeouts and absences due at or
 * before it fire.  Pushing a row with time t implies advance(t).
 */
extern void mr_matcher_advance(MrMatcher *m, int64 watermark);

/*
 * The partition ended, with event time complete up to watermark
 * (PG_INT64_MAX: everything).  `$` holds now; every search is completed;
 * pending absences and timeouts not yet due are dropped (not reported).
 * Then the matcher is ready for the next partition (indexes restart at 0,
 * MATCH_NUMBER restarts at 1).
 */
extern void mr_matcher_finish(MrMatcher *m, int64 watermark);

/* Rows before this index will never be asked about again. */
extern int64 mr_matcher_oldest_row(const MrMatcher *m);

/*
 * State: serialize appends the complete state (threads, label histories,
 * recorded match, retained row times and cached conditions, counters) to
 * buf; restore builds an equal matcher for the same clause and program.
 */
extern void mr_matcher_serialize(const MrMatcher *m, StringInfo buf);
extern MrMatcher *mr_matcher_restore(const MrClause *clause, const MrProgram *prog,
									 bool history_free, int max_threads,
									 const MrMatcherHooks *hooks,
									 const char *data, int len);

extern void mr_matcher_free(MrMatcher *m);

/*
 * The reference: a depth-first backtracking matcher over a whole
 * partition of nrows rows (times may be NULL without WITHIN), with the
 * same hooks and results.  Exponential in the worst case; stops with
 * 54000 after MR_BT_MAX_STEPS.  Supports WITHIN, not EMIT TIMEOUTS or
 * FOLLOWED BY NO (0A000).
 */
extern void mr_backtrack_partition(const MrClause *clause, const MrProgram *prog,
								   int64 nrows, const int64 *times,
								   const MrMatcherHooks *hooks);

/*
 * The reference extended to the event-time rules, for tests: EMIT
 * TIMEOUTS and FOLLOWED BY NO supported, stated without threads
 * (mr_backtrack.c); the input ends with event time complete up to
 * watermark.
 */
extern void mr_backtrack_reference(const MrClause *clause, const MrProgram *prog,
								   int64 nrows, const int64 *times, int64 watermark,
								   const MrMatcherHooks *hooks);

/* Shared by both matchers (mr_matcher.c). */

/* t + d in microseconds, saturated at the int64 bounds. */
static inline int64
mr_time_add(int64 t, int64 d)
{
	int64		r;

	if (pg_add_s64_overflow(t, d, &r))
		return d > 0 ? PG_INT64_MAX : PG_INT64_MIN;
	return r;
}

/* An interval of the clause in microseconds (months: 0A000). */
extern int64 mr_interval_usecs(const MrInterval *iv);

/*
 * The row AFTER MATCH SKIP resumes at after the non-empty match
 * [start, end) with the given labels; 22000 if the skip variable is absent
 * or the target is the match's first row.
 */
extern int64 mr_skip_target(const MrClause *clause, int64 start, int64 end,
							const int32 *vars, int64 match_number);

#endif							/* MR_MATCHER_H */
