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
 * Support functions run with a WindowAggState as their call context, as
 * in the window core, so AggCheckCallContext() succeeds and gives them
 * MrExprs.aggcxt (reset for each evaluation) as aggregate context.
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

typedef struct MrTrans
{
	Datum		value;
	bool		isnull;
} MrTrans;

/* Keep a new transition value in the aggregate context, free the old. */
static void
mr_trans_store(MrExprs *e, WcAggDef *ag, MrTrans *t, Datum value, bool isnull)
{
	if (!ag->transtypeByVal && (isnull || value != t->value))
	{
		if (!isnull)
		{
			MemoryContext old = MemoryContextSwitchTo(e->aggcxt);

			value = datumCopy(value, false, ag->transtypeLen);
			MemoryContextSwitchTo(old);
		}
		if (!t->isnull)
			pfree(DatumGetPointer(t->value));
	}
	t->value = value;
	t->isnull = isnull;
}

static void
mr_trans_init(MrExprs *e, WcAggDef *ag, MrTrans *t)
{
	t->value = (Datum) 0;
	t->isnull = true;
	if (!ag->initValueIsNull)
	{
		MemoryContext old = MemoryContextSwitchTo(e->aggcxt);

		t->value = datumCopy(ag->initValue, ag->transtypeByVal, ag->transtypeLen);
		t->isnull = false;
		MemoryContextSwitchTo(old);
	}
}

/* One row: its arguments evaluated at the level's row, then transfn. */
static void
mr_trans_row(MrExprs *e, MrParam *p, MrLevel *level, MrTrans *t)
{
	WcAggDef   *ag = p->agg;
	LOCAL_FCINFO(fcinfo, WC_MAX_AGG_ARGS + 1);
	MemoryContext old;
	Datum		value;

	InitFunctionCallInfoData(*fcinfo, &ag->transfn, ag->numargs + 1,
							 ag->collation, (Node *) e->aggstate, NULL);
	fcinfo->args[0].value = t->value;
	fcinfo->args[0].isnull = t->isnull;
	for (int j = 0; j < p->nargs; j++)
	{
		NullableDatum *arg = &fcinfo->args[j + 1];

		arg->value = ExecEvalExprSwitchContext(p->args[j], level->econtext, &arg->isnull);
		if (arg->isnull && ag->transfnStrict)
			return;
	}
	if (ag->transfnStrict && t->isnull)
	{
		/* strict, no initial value: the first input is the state */
		if (p->nargs > 0)
			mr_trans_store(e, ag, t, fcinfo->args[1].value, false);
		return;
	}
	old = MemoryContextSwitchTo(level->econtext->ecxt_per_tuple_memory);
	value = FunctionCallInvoke(fcinfo);
	MemoryContextSwitchTo(old);
	mr_trans_store(e, ag, t, value, fcinfo->isnull);
}

/* The final function over t, in the aggregate context. */
static Datum
mr_trans_final(MrExprs *e, WcAggDef *ag, MrTrans *t, bool *isnull)
{
	LOCAL_FCINFO(fcinfo, WC_MAX_AGG_ARGS + 1);
	MemoryContext old;
	Datum		value;

	*isnull = t->isnull;
	if (!ag->hasFinal)
		return t->value;
	*isnull = true;
	if (ag->finalfn.fn_strict && (t->isnull || ag->numFinalArgs > 1))
		return (Datum) 0;
	InitFunctionCallInfoData(*fcinfo, &ag->finalfn, ag->numFinalArgs,
							 ag->collation, (Node *) e->aggstate, NULL);
	fcinfo->args[0].value = t->value;
	fcinfo->args[0].isnull = t->isnull;
	for (int j = 1; j < ag->numFinalArgs; j++)
	{
		fcinfo->args[j].value = (Datum) 0;
		fcinfo->args[j].isnull = true;
	}
	old = MemoryContextSwitchTo(e->aggcxt);
	value = FunctionCallInvoke(fcinfo);
	MemoryContextSwitchTo(old);
	*isnull = fcinfo->isnull;
	return value;
}

Datum
mr_agg_value(MrExprs *e, MrParam *p, bool *isnull)
{
	WcAggDef   *ag = p->agg;
	MrTrans		t;
	MrLevel    *level;
	int64		lo,
				hi;
	Datum		value;

	/* count(*): the number of rows, without calling the aggregate */
	if (p->nargs == 0 && ag->aggfnoid == F_COUNT_)
	{
		int64		n = 0;

		mr_visible_rows(e, p->final, &lo, &hi);
		if (p->var == MR_UNIVERSAL)
			n = hi - lo;
		else
			for (int64 row = lo; row < hi; row++)
				n += mr_row_in_var(e, p->var, row) ? 1 : 0;
		*isnull = false;
		return Int64GetDatum(n);
	}

	MemoryContextReset(e->aggcxt);
	mr_trans_init(e, ag, &t);

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
		mr_trans_row(e, p, level, &t);
	}
	mr_level_leave(e);

	value = mr_trans_final(e, ag, &t, isnull);
	if (!*isnull)
		value = datumCopy(value, p->typbyval, p->typlen);
	MemoryContextReset(e->aggcxt);
	return value;
}
