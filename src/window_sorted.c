/*-------------------------------------------------------------------------
 *
 * window_sorted.c
 *	  Window aggregation over rows sorted by (key, time); see
 *	  window_sorted.h.
 *
 * The open windows of the current key are kept in the order they opened,
 * each with its transition values in a memory context of its own that is
 * reset, not deleted, when the window is emitted and its slot reused.  A
 * row's windows are looked up from the newest end of the list, where they
 * almost always are.
 *
 * When is a window complete?  Over plain timestamps, or timestamptz in a
 * zone with a fixed UTC offset, a window [start, end) can take no row at or
 * after end.  Windows aligned on a zone with daylight saving time are cut
 * on the local wall clock and converted back: around a transition a row's
 * window may end, as an instant, before the row (see window_assign.h).  No
 * offset change exceeds 26 hours (UTC-12 to UTC+14), so there a window is
 * complete once rows reach its end plus 26 hours.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "common/int.h"
#include "miscadmin.h"
#include "pgtime.h"
#include "utils/memutils.h"

#include "window_aggs.h"
#include "window_sorted.h"

typedef struct WsWin
{
	WinBounds	b;				/* its grouped bounds: see ws_same_group */
	int64		close_at;		/* latest end of the windows in the group */
	Datum	   *trans;
	bool	   *transnull;
	MemoryContext cxt;			/* the aggregates' context for this window */
} WsWin;

struct WsState
{
	WinSpec		spec;
	MemoryContext cxt;
	MemoryContext tmpcxt;		/* what support functions return: reset per
								 * row and after each emit */
	WcAggRunner aggs;
	WsEmitFn	emit;
	void	   *emit_arg;

	WsWin	   *win;			/* win[0 .. nopen-1] open, in opening order;
								 * the rest are spare slots */
	int			nopen;
	int			nslots;
	int64		margin;			/* complete once rows reach end + margin */
	bool		by_start;		/* the caller groups by window_start */
	bool		by_end;			/* ... by window_end */
	bool		by_time;		/* ... by window_time */
	WinBounds  *bounds;			/* scratch for the assigner */
	bool		tumble_cached;	/* tumble_last holds the last assignment */
	WinBounds	tumble_last;
};

WsState *
ws_create(const WinSpec *spec, bool by_start, bool by_end, bool by_time, int naggs, WcAggDef *aggs,
		  MemoryContext parent, WsEmitFn emit, void *emit_arg)
{
	MemoryContext cxt = AllocSetContextCreate(parent, "window sorted aggregation",
											  ALLOCSET_DEFAULT_SIZES);
	MemoryContext old = MemoryContextSwitchTo(cxt);
	WsState    *s = palloc0(sizeof(WsState));
	int			maxwins = spec->kind == WIN_SESSION ? 1 : win_max_windows(spec);

	s->spec = *spec;
	s->cxt = cxt;
	s->tmpcxt = AllocSetContextCreate(cxt, "window sorted results",
									  ALLOCSET_DEFAULT_SIZES);
	s->emit = emit;
	s->emit_arg = emit_arg;
	wc_aggs_setup(&s->aggs, naggs, aggs, s->tmpcxt);
	s->nslots = 0;
	s->win = NULL;
	s->by_start = by_start;
	s->by_end = by_end;
	s->by_time = by_time;
	if (!win_windows_are_ranges(spec))
		s->margin = INT64CONST(26) * USECS_PER_HOUR;
	s->bounds = palloc(sizeof(WinBounds) * Max(maxwins, 1));
	MemoryContextSwitchTo(old);
	return s;
}

int
ws_argoff(const WsState *s, int agg)
{
	return s->aggs.argoff[agg];
}

void
ws_destroy(WsState *s)
{
	MemoryContextDelete(s->cxt);
}

/* Emit the first n open windows and recycle their slots. */
static void
ws_close_first(WsState *s, int n)
{
	WsWin		spare[4];
	WsWin	   *tmp = n <= 4 ? spare : palloc(sizeof(WsWin) * n);

	for (int i = 0; i < n; i++)
	{
		WsWin	   *w = &s->win[i];

		wc_aggs_final(&s->aggs, w->trans, w->transnull, w->cxt);
		s->emit(s->emit_arg, &w->b, s->aggs.outvals, s->aggs.outnulls);
		MemoryContextReset(s->tmpcxt);
		MemoryContextReset(w->cxt);
		tmp[i] = *w;
	}
	/* the closed slots move behind the windows still open */
	memmove(&s->win[0], &s->win[n], sizeof(WsWin) * (s->nopen - n));
	memcpy(&s->win[s->nopen - n], tmp, sizeof(WsWin) * n);
	s->nopen -= n;
	if (tmp != spare)
		pfree(tmp);
}

/* Open a window in the next spare slot, making one if there is none. */
static WsWin *
ws_open(WsState *s, WinBounds b)
{
	WsWin	   *w;

	if (s->nopen == s->nslots)
	{
		int			n = Max(4, s->nslots * 2);
		MemoryContext old = MemoryContextSwitchTo(s->cxt);

		s->win = s->win ? repalloc(s->win, sizeof(WsWin) * n) : palloc(sizeof(WsWin) * n);
		for (int i = s->nslots; i < n; i++)
		{
			s->win[i].trans = palloc0(sizeof(Datum) * Max(s->aggs.naggs, 1));
			s->win[i].transnull = palloc0(sizeof(bool) * Max(s->aggs.naggs, 1));
			s->win[i].cxt = AllocSetContextCreate(s->cxt, "window sorted state",
												  ALLOCSET_SMALL_SIZES);
		}
		s->nslots = n;
		MemoryContextSwitchTo(old);
	}
	w = &s->win[s->nopen++];
	w->b = b;
	w->close_at = b.end;
	wc_aggs_init(&s->aggs, w->trans, w->transnull, w->cxt);
	return w;
}

static void
ws_push_session(WsState *s, int64 ts, const WcRowArgs *args)
{
	int64		end;
	WsWin	   *w;

	if (pg_add_s64_overflow(ts, s->spec.size, &end) || end > END_TIMESTAMP)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("window bounds out of the timestamp range")));
	/* a row at most one gap after the last one continues the session */
	if (s->nopen == 1 && ts <= s->win[0].b.end)
	{
		w = &s->win[0];
		w->b = win_bounds(w->b.start, Max(w->b.end, end));
		w->close_at = w->b.end;
	}
	else
	{
		WinBounds	b = win_bounds(ts, end);

		if (s->nopen == 1)
			ws_close_first(s, 1);
		w = ws_open(s, b);
	}
	wc_aggs_advance(&s->aggs, w->trans, w->transnull, w->cxt, args);
}

/*
 * Rows of windows that agree on the grouped bounds (window_start,
 * window_end, window_time) go to one group, as GROUP BY puts them.  Where
 * windows are instant ranges any bound identifies the window; around a
 * daylight saving transition two windows can share a start or an end.
 */
static inline bool
ws_same_group(const WsState *s, WinBounds a, WinBounds b)
{
	return (!s->by_start || a.start == b.start) && (!s->by_end || a.end == b.end) &&
		(!s->by_time || a.time == b.time);
}

static void
ws_push_fixed(WsState *s, int64 ts, const WcRowArgs *args)
{
	int			n;
	int			nclosed = 0;

	/* reuse the last tumbling window while rows stay inside it */
	if (s->tumble_cached && ts >= s->tumble_last.start && ts < s->tumble_last.end)
	{
		s->bounds[0] = s->tumble_last;
		n = 1;
	}
	else
	{
		n = win_assign(&s->spec, ts, s->bounds);
		if (s->spec.kind == WIN_TUMBLE && n == 1 && s->margin == 0)
		{
			s->tumble_last = s->bounds[0];
			s->tumble_cached = true;
		}
	}

	/* times only grow: groups that no later row can reach are complete */
	while (nclosed < s->nopen && s->win[nclosed].close_at <= ts - s->margin)
		nclosed++;
	if (nclosed > 0)
		ws_close_first(s, nclosed);

	for (int i = 0; i < n; i++)
	{
		WinBounds	b = s->bounds[i];
		WsWin	   *w = NULL;

		for (int j = s->nopen - 1; j >= 0; j--)
		{
			if (ws_same_group(s, s->win[j].b, b))
			{
				w = &s->win[j];
				w->close_at = Max(w->close_at, b.end);
				break;
			}
		}
		if (w == NULL)
			w = ws_open(s, b);
		wc_aggs_advance(&s->aggs, w->trans, w->transnull, w->cxt, args);
	}
}

/* One row of the current key; rows come in ascending time. */
void
ws_push(WsState *s, int64 ts, const WcRowArgs *args)
{
	/* what the last row's transition calls left (states live elsewhere) */
	MemoryContextReset(s->tmpcxt);
	if (TIMESTAMP_NOT_FINITE(ts))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("cannot assign an infinite timestamp to a window")));
	if (s->spec.kind == WIN_SESSION)
		ws_push_session(s, ts, args);
	else
		ws_push_fixed(s, ts, args);
}

/* The key is done: emit its open windows. */
void
ws_end_key(WsState *s)
{
	if (s->nopen > 0)
		ws_close_first(s, s->nopen);
}
