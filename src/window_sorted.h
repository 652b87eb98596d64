/*-------------------------------------------------------------------------
 *
 * window_sorted.h
 *	  Window aggregation over rows that arrive sorted by (key, time): the
 *	  pure-C core behind the GROUP BY pushdown of the window table functions
 *	  (window_pushdown.c).
 *
 * The driver pushes a key's rows in ascending time with ws_push() and calls
 * ws_end_key() when the key changes (and at the end).  Because times only
 * grow within a key, a window is complete once rows have passed its end
 * (by 26 hours for windows on a wall clock with daylight saving time, see
 * window_sorted.c), so only the windows around the current time are open.
 * Each completed window is handed to the emit callback with its bounds and
 * the final aggregate values.  Window bounds come from window_assign.c, as
 * in the table functions, so the windows are the same.
 *
 *-------------------------------------------------------------------------
 */
#ifndef WINDOW_SORTED_H
#define WINDOW_SORTED_H

#include "postgres.h"

#include "window_assign.h"
#include "window_core.h"

typedef struct WsState WsState;

/* values/isnull: one per aggregate, valid during the call */
typedef void (*WsEmitFn) (void *arg, const WinBounds *w,
						  const Datum *values, const bool *isnull);

/*
 * by_start / by_end / by_time: which of window_start, window_end and
 * window_time the caller groups by; windows that agree on them are one
 * group.  The bounds handed to emit are right for those.
 */
extern WsState *ws_create(const WinSpec *spec, bool by_start, bool by_end,
						  bool by_time, int naggs, WcAggDef *aggs, MemoryContext parent,
						  WsEmitFn emit, void *emit_arg);
extern int	ws_argoff(const WsState *s, int agg);
extern void ws_push(WsState *s, int64 ts, const WcRowArgs *args);
extern void ws_end_key(WsState *s);
extern void ws_destroy(WsState *s);

#endif							/* WINDOW_SORTED_H */
