/*-------------------------------------------------------------------------
 *
 * window_aggs.h
 *	  Running a list of ordinary PostgreSQL aggregates over rows: initial
 *	  transition values, one row's transitions, final results.
 *
 * Shared by the streaming window core (window_core.c) and the sorted
 * window aggregation behind GROUP BY pushdown (window_sorted.c).  The
 * caller owns the transition arrays and the memory context they live in
 * (the aggregate's own context: in-place updates such as float8_accum's
 * and internal states are allocated there).
 *
 *-------------------------------------------------------------------------
 */
#ifndef WINDOW_AGGS_H
#define WINDOW_AGGS_H

#include "postgres.h"

#include "fmgr.h"
#include "nodes/execnodes.h"

#include "window_core.h"

typedef struct WcAggRunner
{
	int			naggs;
	WcAggDef   *aggs;			/* must outlive the runner */
	int		   *argoff;			/* aggs[i]'s arguments in WcRowArgs.argv */
	int			nargs;			/* total */
	FunctionCallInfo *transcall;	/* per aggregate, set up once */
	bool	   *count_star;		/* per aggregate: count(*), counted inline */
	WindowAggState *aggstate;	/* call context: AggCheckCallContext */
	MemoryContext tmpcxt;		/* results of support functions */
	Datum	   *outvals;		/* results of wc_aggs_final */
	bool	   *outnulls;
} WcAggRunner;

/* Set r up in the current memory context; tmpcxt is the caller's. */
extern void wc_aggs_setup(WcAggRunner *r, int naggs, WcAggDef *aggs,
						  MemoryContext tmpcxt);

/* Point the aggregate call context at cxt (the state's own context). */
static inline void
wc_aggs_context(WcAggRunner *r, MemoryContext cxt)
{
	r->aggstate->aggcontext = cxt;
	r->aggstate->curaggcontext = cxt;
}

extern void wc_aggs_init(WcAggRunner *r, Datum *trans, bool *transnull,
						 MemoryContext cxt);
extern void wc_aggs_store(const WcAggDef *ag, Datum *trans, bool *transnull,
						  MemoryContext cxt, Datum newval, bool newnull);
extern void wc_aggs_advance(WcAggRunner *r, Datum *trans, bool *transnull,
							MemoryContext cxt, const WcRowArgs *a);
extern void wc_aggs_final(WcAggRunner *r, Datum *trans, bool *transnull,
						  MemoryContext cxt);

#endif							/* WINDOW_AGGS_H */
