/*-------------------------------------------------------------------------
 *
 * window_assign.h
 *	  Event-time window assigners (TUMBLE, HOP, CUMULATE) and session
 *	  merging, with Apache Flink's window rules.
 *
 * Pure computation: no SPI, no catalog access, no knowledge of where rows
 * come from.  The set-returning functions (window_tvf.c) and the streaming
 * window core use the same code, so batch and streaming results agree.
 *
 * Times are int64 microseconds: TimestampTz instants, or Timestamp values
 * for a timestamp (without time zone) column.  Windows are half-open,
 * [start, end).  With spec->tz set, TUMBLE/HOP/CUMULATE windows are aligned
 * on that zone's wall clock (Flink's TIMESTAMP_LTZ rule): the instant is
 * converted to local time, the window is computed there with the epoch
 * alignment rule, and its bounds are converted back to instants the way
 * PostgreSQL converts `timestamp AT TIME ZONE zone` (a skipped local time
 * is read with the offset before the transition, an ambiguous one with the
 * offset after it).  Sessions are durations and ignore tz.
 *
 * The rules are in ../shared/reference/windows_and_time.md §1.
 *
 *-------------------------------------------------------------------------
 */
#ifndef WINDOW_ASSIGN_H
#define WINDOW_ASSIGN_H

#include "postgres.h"

#include "datatype/timestamp.h"
#include "pgtime.h"

typedef enum WinKind
{
	WIN_TUMBLE,
	WIN_HOP,
	WIN_CUMULATE,
	WIN_SESSION
} WinKind;

typedef struct WinSpec
{
	WinKind		kind;
	int64		size;			/* microseconds: tumble size, hop size,
								 * cumulate max size, session gap */
	int64		slide;			/* microseconds: hop slide, cumulate step; 0
								 * otherwise */
	int64		offset;			/* microseconds */
	pg_tz	   *tz;				/* wall-clock zone for timestamptz time
								 * columns; NULL = plain (UTC / timestamp)
								 * arithmetic */
} WinSpec;

/*
 * TimestampTz/Timestamp microseconds, end exclusive.  time is window_time:
 * end - 1 ms, taken on the wall clock for windows aligned on one (see
 * win_assign), so it differs from end - 1 ms only for a window that ends at
 * a local time a daylight saving change repeats or skips.
 */
typedef struct WinBounds
{
	int64		start;
	int64		end;
	int64		time;
} WinBounds;

/* Bounds of a window on the instant time line (sessions, no zone). */
static inline WinBounds
win_bounds(int64 start, int64 end)
{
	WinBounds	b;

	b.start = start;
	b.end = end;
	b.time = end - 1000;
	return b;
}

/* Most windows one row may produce: HOP with a tiny slide is refused above this. */
#define WIN_MAX_WINDOWS_PER_ROW 100000

/*
 * Are the windows instant ranges, that is, does a time belong to a window
 * exactly when start <= time < end?  Yes without a zone and in zones with a
 * fixed UTC offset; not around the transitions of a zone with daylight
 * saving time, where wall-clock windows converted back to instants can
 * overlap, leave gaps, or share a start or an end with another window.
 */
extern bool win_windows_are_ranges(const WinSpec *spec);

/* "tumble", "hop", "cumulate" or "session" */
extern const char *win_kind_name(WinKind kind);

/* Validate a spec; ereport(ERROR, ERRCODE_INVALID_PARAMETER_VALUE ...) on bad values. */
extern void win_spec_check(const WinSpec *spec);

/* Most windows one timestamp can belong to (tumble 1, hop ceil(size/slide), cumulate size/step). */
extern int	win_max_windows(const WinSpec *spec);

/*
 * Windows covering ts for tumble/hop/cumulate, in ascending start order
 * (cumulate: one start, ascending end); returns the count written to out[],
 * which must have room for win_max_windows(spec) entries.  ts must be
 * finite; a window beyond the timestamp range is an error
 * (ERRCODE_DATETIME_VALUE_OUT_OF_RANGE).
 */
extern int	win_assign(const WinSpec *spec, int64 ts, WinBounds *out);

/* window_time of a window (Flink: end - 1 ms). */
static inline int64
win_time(const WinBounds *w)
{
	return w->time;
}

/*
 * window_time of the tumble/hop/cumulate window [start, end) as win_assign
 * gives it, from its bounds alone (restoring a snapshot); end - 1 ms when
 * the window cannot be found again.
 */
extern int64 win_time_of(const WinSpec *spec, int64 start, int64 end);

/*
 * Convert an interval to microseconds for a window argument named argname:
 * errors (ERRCODE_INVALID_PARAMETER_VALUE) on a month part, which has no
 * fixed length, and on overflow.  A day counts 24 hours (of the local wall
 * clock when windows align on a time zone).
 */
extern int64 win_interval_usecs(const Interval *iv, const char *argname);

/* ----------------------------------------------------------------
 * Sessions (Flink's EventTimeSessionWindows + merging window sets)
 *
 * A row at t opens the proto-window [t, t + gap).  Windows that intersect
 * or touch (a.start <= b.end && a.end >= b.start) merge into their cover.
 * So a session is [first row, last row + gap), and rows exactly one gap
 * apart share a session.
 *
 * WinSessions is the per-key set of live sessions of a streaming operator:
 * disjoint, non-touching windows sorted by start.  Adding a row is two
 * steps so that a caller can look before it leaps (e.g. refuse a merge into
 * a window past its cleanup time, or combine the merged windows'
 * accumulators):
 *
 *	 first = win_session_locate(set, ts, gap, &count, &merged);
 *	   -> the existing sessions set->w[first .. first+count-1] are the ones
 *		  the row's proto-window touches (count = 0: a new session, to be
 *		  inserted at index first); merged is the cover of the proto-window
 *		  and those sessions.
 *	 idx = win_session_apply(set, first, count, merged);
 *	   -> replaces them by merged (or inserts it); returns its index.
 *
 * The array lives in the memory context that was current at
 * win_sessions_init and grows by doubling.
 * ----------------------------------------------------------------
 */
typedef struct WinSessions
{
	WinBounds  *w;				/* sorted by start, disjoint, not touching */
	int			n;
	int			cap;
	MemoryContext cxt;
} WinSessions;

extern void win_sessions_init(WinSessions *set);
extern void win_sessions_free(WinSessions *set);
extern int	win_session_locate(const WinSessions *set, int64 ts, int64 gap,
							   int *count, WinBounds *merged);
extern int	win_session_apply(WinSessions *set, int first, int count,
							  WinBounds merged);
extern void win_session_remove(WinSessions *set, int idx);

/*
 * Batch helper: split n times sorted ascending into sessions of the given
 * gap.  Writes each session's bounds to out[] (room for n entries) and, if
 * row_session is not NULL, the session index of every row; returns the
 * number of sessions.
 */
extern int	win_sessions_sorted(const int64 *ts, int n, int64 gap,
								WinBounds *out, int *row_session);

#endif							/* WINDOW_ASSIGN_H */
