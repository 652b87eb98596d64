/*-------------------------------------------------------------------------
 *
 * window_assign.c
 *	  Event-time window assigners and session merging (Flink semantics),
 *	  shared by the window table functions and the streaming window core.
 *
 * All arithmetic is on int64 microseconds with floor (never truncating)
 * modulo, so pre-epoch times get the right window; overflow is an error,
 * never a wrapped value.
 *
 * Wall-clock alignment for timestamptz: an instant t is moved to local time
 * t + gmtoff(t), the window is computed there and its bounds are moved
 * back.  Looking up gmtoff per row would dominate the cost, so a few
 * "segments" [lo, hi) of constant UTC offset are cached per backend: hi is
 * the zone's next transition after a probed instant (pg_next_dst_boundary),
 * lo the earliest probed instant known to lie in the same segment.  The
 * offset itself always comes from pg_localtime, which is what PostgreSQL's
 * own timestamptz output uses.  Local bounds go back to instants through
 * DetermineTimeZoneOffset (the rule of `timestamp AT TIME ZONE`), except
 * when a cached segment shows that no transition lies within two days of
 * the candidate instant, where the answer is unique.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "common/int.h"
#include "utils/datetime.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "window_assign.h"

/* The Unix epoch, 1970-01-01 00:00, as a PostgreSQL timestamp (negative). */
#define WA_UNIX_EPOCH_SECS	((int64) (UNIX_EPOCH_JDATE - POSTGRES_EPOCH_JDATE) * SECS_PER_DAY)
#define WA_UNIX_EPOCH_US	(WA_UNIX_EPOCH_SECS * USECS_PER_SEC)

/* Cached segments of constant UTC offset (see file header). */
#define WA_TZ_SEGS		8
#define WA_TZ_MARGIN	(2 * USECS_PER_DAY)

typedef struct WaTzSeg
{
	const pg_tz *tz;			/* NULL: slot unused */
	int64		lo;				/* first instant known in the segment */
	int64		hi;				/* next transition (exclusive); INT64_MAX: none */
	int64		off;			/* UTC offset, microseconds east */
	bool		exact;			/* offset agrees with DetermineTimeZoneOffset's
								 * view, so the reverse fast path is safe */
} WaTzSeg;

static WaTzSeg wa_tz_segs[WA_TZ_SEGS];
static int	wa_tz_next;

static void wa_range_error(void) pg_attribute_noreturn();

/*
 * Report a window that falls outside the int64 or timestamp range.
 */
static void
wa_range_error(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
			 errmsg("window bounds out of the timestamp range")));
}

/* Non-negative modulo; m > 0. */
static inline int64
wa_mod(int64 a, int64 m)
{
	int64		r = a % m;

	return r < 0 ? r + m : r;
}

/*
 * Start of the window of length unit, aligned to the epoch plus offset,
 * that contains ts: ts - ((ts - offset) mod+ unit).
 */
static inline int64
wa_start(int64 ts, int64 offset, int64 unit)
{
	/*
	 * PostgreSQL counts from 2000-01-01, Flink from 1970-01-01, which is
	 * WA_UNIX_EPOCH_US here: align on WA_UNIX_EPOCH_US + offset, reduced
	 * modulo unit without overflow.
	 */
	int64		off = wa_mod(wa_mod(offset, unit) + wa_mod(WA_UNIX_EPOCH_US, unit), unit);
	int64		d;
	int64		r;
	int64		start;

	if (likely(!pg_sub_s64_overflow(ts, off, &d)))
		r = wa_mod(d, unit);
	else
	{
		int128		d128 = (int128) ts - off;
		int128		r128 = d128 % unit;

		if (r128 < 0)
			r128 += unit;
		r = (int64) r128;
	}
	if (pg_sub_s64_overflow(ts, r, &start))
		wa_range_error();
	return start;
}

/*
 * UTC offset (microseconds east) of zone tz at instant t, through the
 * segment cache.
 */
static int64
wa_tz_offset(const pg_tz *tz, int64 t)
{
	pg_time_t	secs;
	struct pg_tm *tm;
	long int	before_gmtoff,
				after_gmtoff;
	int			before_isdst,
				after_isdst;
	pg_time_t	boundary;
	int			rc;
	int64		off,
				hi,
				lo;
	int			i;

	for (i = 0; i < WA_TZ_SEGS; i++)
	{
		WaTzSeg    *s = &wa_tz_segs[i];

		if (s->tz == tz && s->lo <= t && t < s->hi)
			return s->off;
	}

	/* floor to whole seconds, then count from the Unix epoch (pg_time_t) */
	secs = t / USECS_PER_SEC;
	if (t < 0 && t % USECS_PER_SEC != 0)
		secs--;
	secs -= WA_UNIX_EPOCH_SECS;

	tm = pg_localtime(&secs, tz);
	if (tm == NULL)
		wa_range_error();
	off = (int64) tm->tm_gmtoff * USECS_PER_SEC;

	rc = pg_next_dst_boundary(&secs, &before_gmtoff, &before_isdst,
							  &boundary, &after_gmtoff, &after_isdst, tz);
	if (rc == 0)
		hi = PG_INT64_MAX;
	else if (rc > 0 && boundary > secs &&
			 boundary + WA_UNIX_EPOCH_SECS < END_TIMESTAMP / USECS_PER_SEC)
		hi = (int64) (boundary + WA_UNIX_EPOCH_SECS) * USECS_PER_SEC;
	else
		hi = (int64) (secs + WA_UNIX_EPOCH_SECS + 1) * USECS_PER_SEC;	/* just this second */
	secs += WA_UNIX_EPOCH_SECS;	/* back to PostgreSQL's epoch */

	/* same segment as a cached one probed later in it: extend it */
	for (i = 0; i < WA_TZ_SEGS; i++)
	{
		WaTzSeg    *s = &wa_tz_segs[i];

		if (s->tz == tz && s->hi == hi && s->off == off && t < s->lo)
		{
			s->lo = (int64) secs * USECS_PER_SEC;
			return off;
		}
	}

	/*
	 * Reach back: if no transition lies between an instant some days
	 * earlier and this one (the next boundary after it is ours, or there is
	 * none), the segment starts there at the latest.  Without this, data
	 * spanning less than WA_TZ_MARGIN never meets the reverse fast path.
	 */
	lo = (int64) secs * USECS_PER_SEC;
	{
		static const int back_days[] = {28, 3};
		int			b;

		for (b = 0; b < lengthof(back_days); b++)
		{
			pg_time_t	esecs = secs - WA_UNIX_EPOCH_SECS -
				(pg_time_t) back_days[b] * SECS_PER_DAY;
			long int	bg, ag;
			int			bd, ad;
			pg_time_t	eb;
			int			erc;
			struct pg_tm *etm;

			if (secs - (int64) back_days[b] * SECS_PER_DAY <= MIN_TIMESTAMP / USECS_PER_SEC)
				continue;
			etm = pg_localtime(&esecs, tz);
			if (etm == NULL || (int64) etm->tm_gmtoff * USECS_PER_SEC != off)
				continue;
			erc = pg_next_dst_boundary(&esecs, &bg, &bd, &eb, &ag, &ad, tz);
			if ((erc == 0 && rc == 0) ||
				(erc > 0 && rc > 0 && eb == boundary && hi != (int64) (secs + 1) * USECS_PER_SEC))
			{
				lo = (int64) (esecs + WA_UNIX_EPOCH_SECS) * USECS_PER_SEC;
				break;
			}
		}
	}

	i = wa_tz_next;
	wa_tz_next = (wa_tz_next + 1) % WA_TZ_SEGS;
	wa_tz_segs[i].tz = tz;
	wa_tz_segs[i].lo = lo;
	wa_tz_segs[i].hi = hi;
	wa_tz_segs[i].off = off;
	wa_tz_segs[i].exact = (rc >= 0 && (int64) before_gmtoff * USECS_PER_SEC == off);
	return off;
}

/*
 * The instant whose wall-clock time in tz is local, by PostgreSQL's rule
 * for `timestamp AT TIME ZONE tz`: a local time skipped by a transition is
 * read with the offset before it, an ambiguous one with the offset after it.
 */
static int64
wa_local_to_instant_far(const pg_tz *tz, int64 local, bool *far)
{
	struct pg_tm tt;
	fsec_t		fsec;
	int			tzsecs;
	int64		result;
	int			i;

	for (i = 0; i < WA_TZ_SEGS; i++)
	{
		WaTzSeg    *s = &wa_tz_segs[i];
		int64		cand;

		if (s->tz != tz || !s->exact)
			continue;
		cand = local - s->off;
		if (cand - WA_TZ_MARGIN >= s->lo &&
			(s->hi == PG_INT64_MAX || cand + WA_TZ_MARGIN < s->hi))
		{
			*far = true;
			return cand;
		}
	}
	*far = false;

	if (timestamp2tm(local, NULL, &tt, &fsec, NULL, NULL) != 0)
		wa_range_error();
	tzsecs = DetermineTimeZoneOffset(&tt, (pg_tz *) tz);
	if (pg_add_s64_overflow(local, (int64) tzsecs * USECS_PER_SEC, &result))
		wa_range_error();
	return result;
}

/* wa_local_to_instant_far, also telling whether no transition is near */
static inline int64
wa_local_to_instant(const pg_tz *tz, int64 local)
{
	bool		far;

	return wa_local_to_instant_far(tz, local, &far);
}

/*
 * The instant of local time `local` as Flink registers a window's timer
 * (TimeWindowUtil.toEpochMillsForTimer): an ambiguous local time (in the
 * hour a fall-back change repeats) is read with the later offset, as
 * wa_local_to_instant does; a local time a spring-forward change skips
 * gives the instant of the change.
 */
static int64
wa_timer_instant(const pg_tz *tz, int64 local)
{
	int64		c = wa_local_to_instant(tz, local);
	pg_time_t	secs;
	long int	before_gmtoff,
				after_gmtoff;
	int			before_isdst,
				after_isdst;
	pg_time_t	boundary;
	int64		change;

	if (c + wa_tz_offset(tz, c) == local)
		return c;				/* the local time exists */

	/* skipped: the change is the first transition of the last two days */
	if (c - WA_TZ_MARGIN <= MIN_TIMESTAMP)
		return c;
	secs = (c - WA_TZ_MARGIN) / USECS_PER_SEC - WA_UNIX_EPOCH_SECS;
	if (pg_next_dst_boundary(&secs, &before_gmtoff, &before_isdst,
							 &boundary, &after_gmtoff, &after_isdst, tz) <= 0)
		return c;
	change = (int64) (boundary + WA_UNIX_EPOCH_SECS) * USECS_PER_SEC;
	return (change <= c) ? change : c;
}

bool
win_windows_are_ranges(const WinSpec *spec)
{
	long		gmtoff;

	return spec->kind == WIN_SESSION || spec->tz == NULL ||
		pg_get_timezone_offset(spec->tz, &gmtoff);
}

const char *
win_kind_name(WinKind kind)
{
	switch (kind)
	{
		case WIN_TUMBLE:
			return "tumble";
		case WIN_HOP:
			return "hop";
		case WIN_CUMULATE:
			return "cumulate";
		case WIN_SESSION:
			return "session";
	}
	return "?";
}

/*
 * Check that a window lies inside the timestamp range.
 */
static inline void
wa_check_bounds(const WinBounds *w)
{
	if (w->start < MIN_TIMESTAMP || w->end > END_TIMESTAMP)
		wa_range_error();
}

void
win_spec_check(const WinSpec *spec)
{
	switch (spec->kind)
	{
		case WIN_TUMBLE:
			if (spec->size <= 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("tumble window size must be positive")));
			break;
		case WIN_HOP:
			if (spec->slide <= 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("hop window slide must be positive")));
			if (spec->size <= 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("hop window size must be positive")));
			if (spec->size / spec->slide >= WIN_MAX_WINDOWS_PER_ROW)
				ereport(ERROR,
						(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						 errmsg("hop window size is too many slides long"),
						 errdetail("Each row would fall into up to " INT64_FORMAT " windows; the limit is %d.",
								   spec->size / spec->slide + 1,
								   WIN_MAX_WINDOWS_PER_ROW)));
			break;
		case WIN_CUMULATE:
			if (spec->slide <= 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("cumulate window step must be positive")));
			if (spec->size <= 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("cumulate window max_size must be positive")));
			if (spec->size % spec->slide != 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("cumulate window max_size must be an integral multiple of step")));
			if (spec->size / spec->slide > WIN_MAX_WINDOWS_PER_ROW)
				ereport(ERROR,
						(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						 errmsg("cumulate window max_size is too many steps long"),
						 errdetail("Each row would fall into up to " INT64_FORMAT " windows; the limit is %d.",
								   spec->size / spec->slide,
								   WIN_MAX_WINDOWS_PER_ROW)));
			break;
		case WIN_SESSION:
			if (spec->size <= 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("session gap must be positive")));
			break;
		default:
			elog(ERROR, "unknown window kind %d", (int) spec->kind);
	}
}

int
win_max_windows(const WinSpec *spec)
{
	switch (spec->kind)
	{
		case WIN_HOP:
			return (int) ((spec->size + spec->slide - 1) / spec->slide);
		case WIN_CUMULATE:
			return (int) (spec->size / spec->slide);
		default:
			return 1;
	}
}

/*
 * win_assign computes the windows of ts on the local time line (plain
 * arithmetic when spec->tz is NULL) and converts their bounds back.
 */
int
win_assign(const WinSpec *spec, int64 ts, WinBounds *out)
{
	int64		t = ts;
	int64		off = 0;
	int			n = 0;
	int			i;

	if (TIMESTAMP_NOT_FINITE(ts))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("cannot assign an infinite timestamp to a window")));

	if (spec->tz != NULL)
	{
		off = wa_tz_offset(spec->tz, ts);
		t = ts + off;			/* |off| < 1 day, ts finite: no overflow */
	}

	switch (spec->kind)
	{
		case WIN_TUMBLE:
			{
				int64		s = wa_start(t, spec->offset, spec->size);

				out[0].start = s;
				if (pg_add_s64_overflow(s, spec->size, &out[0].end))
					wa_range_error();
				n = 1;
				break;
			}
		case WIN_HOP:
			{
				int64		last = wa_start(t, spec->offset, spec->slide);
				int64		lo;		/* starts must be > t - size */
				int64		first;
				int64		k;

				/* first = the smallest last - k*slide with start > t - size */
				if (pg_sub_s64_overflow(t, spec->size, &lo))
					lo = PG_INT64_MIN;
				if (last <= lo)
					break;		/* size < slide and t is in the gap */
				k = (int64) (((int128) last - lo - 1) / spec->slide);
				first = last - k * spec->slide;
				for (i = 0; i <= k; i++)
				{
					int64		s = first + i * spec->slide;

					out[n].start = s;
					if (pg_add_s64_overflow(s, spec->size, &out[n].end))
						wa_range_error();
					n++;
				}
				break;
			}
		case WIN_CUMULATE:
			{
				int64		s = wa_start(t, spec->offset, spec->size);
				int64		steps = spec->size / spec->slide;
				int64		k;

				/* ends s + k*step > t, 1 <= k <= steps */
				for (k = (t - s) / spec->slide + 1; k <= steps; k++)
				{
					out[n].start = s;
					if (pg_add_s64_overflow(s, k * spec->slide, &out[n].end))
						wa_range_error();
					n++;
				}
				break;
			}
		case WIN_SESSION:
			elog(ERROR, "session windows are not assigned per row");
			break;
	}

	if (spec->tz != NULL)
	{
		/* windows of one row share bounds: convert each distinct one once */
		int64		prev_local = 0,
					prev_inst = 0;
		bool		have_prev = false;

		for (i = 0; i < n; i++)
		{
			int64		ls = out[i].start;
			int64		le = out[i].end;
			bool		far;

			if (have_prev && ls == prev_local)
				out[i].start = prev_inst;
			else
			{
				out[i].start = wa_local_to_instant(spec->tz, ls);
				prev_local = ls;
				prev_inst = out[i].start;
				have_prev = true;
			}
			out[i].end = wa_local_to_instant_far(spec->tz, le, &far);
			/* days from a transition, the local end - 1 ms is end - 1 ms */
			out[i].time = far ? out[i].end - 1000 :
				wa_timer_instant(spec->tz, le - 1000);
		}
	}
	else
	{
		for (i = 0; i < n; i++)
			out[i].time = out[i].end - 1000;
	}

	for (i = 0; i < n; i++)
		wa_check_bounds(&out[i]);
	return n;
}

int64
win_time_of(const WinSpec *spec, int64 start, int64 end)
{
	WinBounds  *w;
	int			n;

	if (spec->kind == WIN_SESSION || spec->tz == NULL || TIMESTAMP_NOT_FINITE(start))
		return end - 1000;
	w = palloc(sizeof(WinBounds) * win_max_windows(spec));
	n = win_assign(spec, start, w);
	for (int i = 0; i < n; i++)
		if (w[i].start == start && w[i].end == end)
		{
			int64		t = w[i].time;

			pfree(w);
			return t;
		}
	pfree(w);
	return end - 1000;
}

int64
win_interval_usecs(const Interval *iv, const char *argname)
{
	int64		days;
	int64		result;

	if (iv->month != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not contain months or years", argname),
				 errdetail("Windows have a fixed length; a month does not."),
				 errhint("Use days, for example '30 days'.")));
	if (pg_mul_s64_overflow((int64) iv->day, USECS_PER_DAY, &days) ||
		pg_add_s64_overflow(days, iv->time, &result))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s is out of range", argname)));
	return result;
}

/* ---------------------------------------------------------------- sessions */

void
win_sessions_init(WinSessions *set)
{
	set->w = NULL;
	set->n = 0;
	set->cap = 0;
	set->cxt = CurrentMemoryContext;
}

void
win_sessions_free(WinSessions *set)
{
	if (set->w)
		pfree(set->w);
	set->w = NULL;
	set->n = set->cap = 0;
}

/*
 * win_session_locate finds the sessions the proto-window [ts, ts + gap)
 * touches.  They are contiguous in the sorted set: every s with
 * s.start <= ts + gap and s.end >= ts.
 */
int
win_session_locate(const WinSessions *set, int64 ts, int64 gap,
				   int *count, WinBounds *merged)
{
	WinBounds	p;
	int			lo = 0,
				hi = set->n;
	int			first,
				last;

	if (TIMESTAMP_NOT_FINITE(ts))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("cannot assign an infinite timestamp to a window")));
	p.start = ts;
	if (pg_add_s64_overflow(ts, gap, &p.end) || p.end > END_TIMESTAMP)
		wa_range_error();

	/* first session with end >= ts (ends ascend, as sessions are disjoint) */
	while (lo < hi)
	{
		int			mid = lo + (hi - lo) / 2;

		if (set->w[mid].end < ts)
			lo = mid + 1;
		else
			hi = mid;
	}
	first = lo;
	last = first;
	while (last < set->n && set->w[last].start <= p.end)
	{
		if (set->w[last].start < p.start)
			p.start = set->w[last].start;
		if (set->w[last].end > p.end)
			p.end = set->w[last].end;
		last++;
	}
	*count = last - first;
	p.time = p.end - 1000;
	*merged = p;
	return first;
}

int
win_session_apply(WinSessions *set, int first, int count, WinBounds merged)
{
	Assert(first >= 0 && first + count <= set->n);
	if (count == 0)
	{
		if (set->n == set->cap)
		{
			int			newcap = set->cap ? set->cap * 2 : 4;

			if (set->w == NULL)
				set->w = MemoryContextAlloc(set->cxt, newcap * sizeof(WinBounds));
			else
				set->w = repalloc(set->w, newcap * sizeof(WinBounds));
			set->cap = newcap;
		}
		memmove(&set->w[first + 1], &set->w[first],
				(set->n - first) * sizeof(WinBounds));
		set->n++;
	}
	else if (count > 1)
	{
		memmove(&set->w[first + 1], &set->w[first + count],
				(set->n - first - count) * sizeof(WinBounds));
		set->n -= count - 1;
	}
	set->w[first] = merged;
	return first;
}

void
win_session_remove(WinSessions *set, int idx)
{
	Assert(idx >= 0 && idx < set->n);
	memmove(&set->w[idx], &set->w[idx + 1],
			(set->n - idx - 1) * sizeof(WinBounds));
	set->n--;
}

int
win_sessions_sorted(const int64 *ts, int n, int64 gap,
					WinBounds *out, int *row_session)
{
	int			ns = 0;
	int			i;

	for (i = 0; i < n; i++)
	{
		int64		end;

		if (TIMESTAMP_NOT_FINITE(ts[i]))
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("cannot assign an infinite timestamp to a window")));
		if (pg_add_s64_overflow(ts[i], gap, &end) || end > END_TIMESTAMP)
			wa_range_error();
		/* [ts, ts + gap) touches the current session when ts <= its end */
		if (ns > 0 && ts[i] <= out[ns - 1].end)
		{
			if (end > out[ns - 1].end)
				out[ns - 1].end = end;
		}
		else
		{
			out[ns].start = ts[i];
			out[ns].end = end;
			ns++;
		}
		if (row_session)
			row_session[i] = ns - 1;
	}
	for (i = 0; i < ns; i++)
		out[i].time = out[i].end - 1000;
	return ns;
}
