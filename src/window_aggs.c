/*-------------------------------------------------------------------------
 *
 * window_aggs.c
 *	  Running a list of ordinary PostgreSQL aggregates over rows (see
 *	  window_aggs.h): the transition and final functions are called through
 *	  fmgr with a WindowAggState as call context, so aggregates that update
 *	  their state in place (AggCheckCallContext) do so in the state's own
 *	  memory context.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "common/int.h"
#include "utils/datum.h"
#include "utils/fmgroids.h"
#include "utils/memutils.h"

#include "window_aggs.h"

void
wc_aggs_setup(WcAggRunner *r, int naggs, WcAggDef *aggs, MemoryContext tmpcxt)
{
	int			off = 0;

	r->naggs = naggs;
	r->aggs = aggs;
	r->tmpcxt = tmpcxt;
	r->aggstate = makeNode(WindowAggState);
	r->argoff = palloc0(sizeof(int) * (naggs + 1));
	r->transcall = palloc(sizeof(FunctionCallInfo) * Max(naggs, 1));
	r->count_star = palloc0(sizeof(bool) * Max(naggs, 1));
	for (int i = 0; i < naggs; i++)
	{
		WcAggDef   *ag = &aggs[i];

		r->argoff[i] = off;
		off += ag->numargs;
		r->transcall[i] = palloc0(SizeForFunctionCallInfo(ag->numargs + 1));
		InitFunctionCallInfoData(*r->transcall[i], &ag->transfn, ag->numargs + 1,
								 ag->collation, (Node *) r->aggstate, NULL);
		r->count_star[i] = (ag->aggfnoid == F_COUNT_ && ag->numargs == 0 &&
							ag->transtypeByVal && !ag->initValueIsNull);
	}
	r->argoff[naggs] = off;
	r->nargs = off;
	r->outvals = palloc0(sizeof(Datum) * Max(naggs, 1));
	r->outnulls = palloc0(sizeof(bool) * Max(naggs, 1));
}

/* Initial transition values, copied into cxt. */
void
wc_aggs_init(WcAggRunner *r, Datum *trans, bool *transnull, MemoryContext cxt)
{
	MemoryContext old = MemoryContextSwitchTo(cxt);

	for (int i = 0; i < r->naggs; i++)
	{
		WcAggDef   *ag = &r->aggs[i];

		transnull[i] = ag->initValueIsNull;
		trans[i] = ag->initValueIsNull ? (Datum) 0 :
			datumCopy(ag->initValue, ag->transtypeByVal, ag->transtypeLen);
	}
	MemoryContextSwitchTo(old);
}

/*
 * Keep a new transition value returned by a support function: a by-ref
 * value that is not the old one is copied into cxt and the old one freed.
 */
void
wc_aggs_store(const WcAggDef *ag, Datum *trans, bool *transnull, MemoryContext cxt,
			  Datum newval, bool newnull)
{
	if (!ag->transtypeByVal && (newnull || newval != *trans))
	{
		Datum		oldval = *trans;
		bool		oldnull = *transnull;

		if (!newnull)
		{
			MemoryContext old = MemoryContextSwitchTo(cxt);

			newval = datumCopy(newval, false, ag->transtypeLen);
			MemoryContextSwitchTo(old);
		}
		if (!oldnull)
			pfree(DatumGetPointer(oldval));
	}
	*trans = newval;
	*transnull = newnull;
}

/* One row's transitions. */
void
wc_aggs_advance(WcAggRunner *r, Datum *trans, bool *transnull, MemoryContext cxt,
				const WcRowArgs *a)
{
	MemoryContext old = NULL;

	for (int i = 0; i < r->naggs; i++)
	{
		WcAggDef   *ag = &r->aggs[i];
		FunctionCallInfo fcinfo = r->transcall[i];
		Datum	   *argv = a->argv + r->argoff[i];
		bool	   *argnull = a->argnull + r->argoff[i];
		Datum		newval;

		if (a->skip && a->skip[i])
			continue;
		if (r->count_star[i])
		{
			/* count(*): int8inc without the call */
			int64		n;

			if (unlikely(pg_add_s64_overflow(DatumGetInt64(trans[i]), 1, &n)))
				ereport(ERROR,
						(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
						 errmsg("bigint out of range")));
			trans[i] = Int64GetDatum(n);
			continue;
		}
		if (old == NULL)
		{
			/* support functions are called in tmpcxt, with cxt as context */
			old = MemoryContextSwitchTo(r->tmpcxt);
			wc_aggs_context(r, cxt);
		}
		if (ag->transfnStrict)
		{
			bool		anynull = false;

			for (int j = 0; j < ag->numargs; j++)
				anynull |= argnull[j];
			if (anynull)
				continue;
			if (transnull[i])
			{
				/* strict, no initial value: the first input is the state */
				if (ag->numargs > 0)
				{
					MemoryContextSwitchTo(cxt);
					trans[i] = datumCopy(argv[0], ag->transtypeByVal, ag->transtypeLen);
					transnull[i] = false;
					MemoryContextSwitchTo(r->tmpcxt);
				}
				continue;
			}
		}

		fcinfo->isnull = false;
		fcinfo->args[0].value = trans[i];
		fcinfo->args[0].isnull = transnull[i];
		for (int j = 0; j < ag->numargs; j++)
		{
			fcinfo->args[j + 1].value = argv[j];
			fcinfo->args[j + 1].isnull = argnull[j];
		}
		newval = FunctionCallInvoke(fcinfo);
		/* by value, or a state updated in place (the usual case): keep it */
		if (ag->transtypeByVal ||
			(!fcinfo->isnull && !transnull[i] && newval == trans[i]))
		{
			trans[i] = newval;
			transnull[i] = fcinfo->isnull;
		}
		else
			wc_aggs_store(ag, &trans[i], &transnull[i], cxt, newval, fcinfo->isnull);
	}
	if (old != NULL)
		MemoryContextSwitchTo(old);
}

/*
 * Final results into r->outvals/outnulls; by-reference results live in
 * r->tmpcxt until the caller resets it.
 */
void
wc_aggs_final(WcAggRunner *r, Datum *trans, bool *transnull, MemoryContext cxt)
{
	LOCAL_FCINFO(fcinfo, WC_MAX_AGG_ARGS + 1);

	wc_aggs_context(r, cxt);
	for (int i = 0; i < r->naggs; i++)
	{
		WcAggDef   *ag = &r->aggs[i];
		MemoryContext old;

		if (!ag->hasFinal)
		{
			r->outvals[i] = trans[i];
			r->outnulls[i] = transnull[i];
			continue;
		}
		if (ag->finalfn.fn_strict && (transnull[i] || ag->numFinalArgs > 1))
		{
			r->outvals[i] = (Datum) 0;
			r->outnulls[i] = true;
			continue;
		}
		InitFunctionCallInfoData(*fcinfo, &ag->finalfn, ag->numFinalArgs,
								 ag->collation, (Node *) r->aggstate, NULL);
		fcinfo->args[0].value = trans[i];
		fcinfo->args[0].isnull = transnull[i];
		for (int j = 1; j < ag->numFinalArgs; j++)
		{
			fcinfo->args[j].value = (Datum) 0;
			fcinfo->args[j].isnull = true;
		}
		old = MemoryContextSwitchTo(r->tmpcxt);
		r->outvals[i] = FunctionCallInvoke(fcinfo);
		r->outnulls[i] = fcinfo->isnull;
		MemoryContextSwitchTo(old);
	}
}
