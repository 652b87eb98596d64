/*-------------------------------------------------------------------------
 *
 * mr_expr_agg.c
 *	  Aggregates in MATCH_RECOGNIZE DEFINE and MEASURES: any normal
 *	  PostgreSQL aggregate (resolved by window_aggdef.c into a WcAggDef)
 *	  over the rows of the match mapped to the variable its arguments name
 *	  (all rows if none), up to the current row (RUNNING) or all of them
 *	  (FINAL).
 *
 * Each evaluation computes the aggregate afresh: a transition value
 * started from the initial value, one transition call per row in match
 * order, then the final function.  That is O(rows) per evaluation, so
 * O(n^2) for a RUNNING aggregate over every row of a long match in ALL
 * ROWS PER MATCH, or in a DEFINE along a long match; it needs no state
 * per matcher thread (each thread has its own label history, so its own
 * aggregate), and final functions may modify their state.
 *
 * The calls go through the window core's aggregate runner (window_aggs.c):
 * a WindowAggState as call context, so AggCheckCallContext() succeeds and
 * gives MrExprs.aggcxt (reset for each evaluation) as aggregate context.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "executor/executor.h"
#include "miscadmin.h"
#include "utils/datum.h"
#include "utils/fmgroids.h"
#include "utils/memutils.h"

#include "mr_expr_int.h"
#include "window_aggs.h"

/* count(*): the number of visible rows of the variable, without calls */
static Datum
mr_agg_count_rows(MrExprs *e, MrParam *p)
{
	int64		lo,
				hi,
				n = 0;

	mr_visible_rows(e, p->final, &lo, &hi);
	if (p->var == MR_UNIVERSAL)
		n = hi - lo;
	else
		for (int64 row = lo; row < hi; row++)
			n += mr_row_in_var(e, p->var, row) ? 1 : 0;
	return Int64GetDatum(n);
}

Datum
mr_agg_value(MrExprs *e, MrParam *p, bool *isnull)
{
	WcAggRunner *r = p->runner;
	Datum		trans;
	bool		transnull;
	Datum		argv[WC_MAX_AGG_ARGS];
	bool		argnull[WC_MAX_AGG_ARGS];
	WcRowArgs	rowargs = {argv, argnull, NULL};
	MrLevel    *level;
	int64		lo,
				hi;
	Datum		value;

	if (p->nargs == 0 && p->agg->aggfnoid == F_COUNT_)
	{
		*isnull = false;
		return mr_agg_count_rows(e, p);
	}

	MemoryContextReset(e->aggcxt);
	wc_aggs_init(r, &trans, &transnull, e->aggcxt);

	mr_visible_rows(e, p->final, &lo, &hi);
	level = mr_level_enter(e);
	for (int64 row = lo; row < hi; row++)
	{
		if (((row - lo) & 1023) == 1023)
			CHECK_FOR_INTERRUPTS();
		if (!mr_row_in_var(e, p->var, row))
			continue;
		if (!mr_level_load(e, level, row, p->args_scan))
			elog(ERROR, "MATCH_RECOGNIZE: row " INT64_FORMAT " of the match is no longer held",
				 row);
		for (int j = 0; j < p->nargs; j++)
			argv[j] = ExecEvalExprSwitchContext(p->args[j], level->econtext, &argnull[j]);
		wc_aggs_advance(r, &trans, &transnull, e->aggcxt, &rowargs);
		MemoryContextReset(e->aggcallcxt);
	}
	mr_level_leave(e);

	wc_aggs_final(r, &trans, &transnull, e->aggcxt);
	*isnull = r->outnulls[0];
	value = *isnull ? (Datum) 0 : datumCopy(r->outvals[0], p->typbyval, p->typlen);
	MemoryContextReset(e->aggcallcxt);
	MemoryContextReset(e->aggcxt);
	return value;
}
