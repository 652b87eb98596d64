/*-------------------------------------------------------------------------
 *
 * window_pushdown_exec.c
 *	  Executor side of the GROUP BY pushdown for the window table functions
 *	  (see window_pushdown.h): a custom scan that runs the function's input
 *	  query sorted by (input grouping columns, time), feeds each key's rows
 *	  to the sorted window aggregation (window_sorted.c), and returns one
 *	  row per (key, window) with the aggregate values; the plan's target
 *	  list and HAVING are applied on top by ExecScan.
 *
 * The input query is bound exactly as the table function binds it
 * (wt_bind_input: same column checks and messages), then run as
 *	 SELECT * FROM (<input>) AS asset_stream_input ORDER BY <keys>, <time>
 * so the database sorts it, or reads it in order from an index on
 * (key, time).  Grouping columns are compared with the GROUP BY equality
 * operator; rows with a NULL time are dropped, as by the functions.  The
 * groups go to a tuplestore (work_mem, then disk) and are returned from
 * there.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "commands/explain.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "nodes/nodeFuncs.h"
#include "parser/parser.h"
#include "pgtime.h"
#include "tcop/dest.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/plancache.h"
#include "utils/tuplestore.h"

#include "srf_columns.h"
#include "window_core.h"
#include "window_pushdown.h"
#include "window_sorted.h"
#include "window_tvf.h"

/* One input grouping column. */
typedef struct WpKey
{
	int			scanidx;		/* in the scan tuple */
	int			att;			/* 0-based input attribute */
	FmgrInfo	eq;
	Oid			collation;
	int16		typlen;
	bool		typbyval;
} WpKey;

typedef struct WpState WpState;

typedef struct WpReceiver
{
	DestReceiver pub;			/* must be first */
	WpState    *st;
} WpReceiver;

struct WpState
{
	CustomScanState css;		/* must be first */

	/* from the plan */
	WinKind		kind;
	const char *fname;
	List	   *colnames;
	List	   *coltypes;
	List	   *eqops;
	int			nkeys;			/* grouping columns in the scan tuple */
	int			naggs;
	List	   *argstates;		/* the function's arguments */

	/* set up per run, in runcxt */
	MemoryContext runcxt;
	WinSpec		spec;
	int			time_att;
	int			natts_needed;
	WtSource   *scan_src;		/* per grouping column of the scan tuple */
	int			ninkeys;
	WpKey	   *inkeys;
	int		   *scan_inkey;		/* scan index -> inkeys index, or -1 */
	WcAggDef   *aggs;
	int		   *arg_att;		/* per aggregate argument: input attribute,
								 * or -1 for an expression */
	ExprState **arg_expr;
	ExprState **filter;
	Datum	   *argv;
	bool	   *argnull;
	bool	   *skip;
	ExprContext *rowcxt;		/* argument evaluation, reset per row */
	WsState    *core;

	/* the current key */
	MemoryContext keycxt;
	bool		have_key;
	Datum	   *keyvals;
	bool	   *keynulls;

	/* output */
	Tuplestorestate *out;
	Datum	   *outvals;
	bool	   *outnulls;
	TupleTableSlot *readslot;	/* reads the tuplestore */
	bool		filled;
	WpReceiver	recv;
};

static Node *wp_create_state(CustomScan *cscan);
static void wp_begin(CustomScanState *node, EState *estate, int eflags);
static TupleTableSlot *wp_exec(CustomScanState *node);
static void wp_end(CustomScanState *node);
static void wp_rescan(CustomScanState *node);
static void wp_explain(CustomScanState *node, List *ancestors, ExplainState *es);

CustomScanMethods wp_scan_methods = {
	.CustomName = "AssetStreamWindowAggregate",
	.CreateCustomScanState = wp_create_state,
};

static CustomExecMethods wp_exec_methods = {
	.CustomName = "AssetStreamWindowAggregate",
	.BeginCustomScan = wp_begin,
	.ExecCustomScan = wp_exec,
	.EndCustomScan = wp_end,
	.ReScanCustomScan = wp_rescan,
	.ExplainCustomScan = wp_explain,
};

static Node *
wp_create_state(CustomScan *cscan)
{
	WpState    *st = (WpState *) newNode(sizeof(WpState), T_CustomScanState);

	st->css.methods = &wp_exec_methods;
	return (Node *) st;
}

static void
wp_begin(CustomScanState *node, EState *estate, int eflags)
{
	WpState    *st = (WpState *) node;
	CustomScan *cs = (CustomScan *) node->ss.ps.plan;
	List	   *priv = cs->custom_private;

	st->kind = (WinKind) intVal(list_nth(priv, WP_PRIV_KIND));
	st->fname = win_kind_name(st->kind);
	st->colnames = list_nth(priv, WP_PRIV_NAMES);
	st->coltypes = list_nth(priv, WP_PRIV_TYPES);
	st->eqops = list_nth(priv, WP_PRIV_EQOPS);
	st->nkeys = intVal(list_nth(priv, WP_PRIV_NKEYS));
	st->naggs = list_length(cs->custom_scan_tlist) - st->nkeys;
	st->argstates = ExecInitExprList(cs->custom_exprs, &node->ss.ps);
	st->runcxt = AllocSetContextCreate(CurrentMemoryContext, "window pushdown",
									   ALLOCSET_DEFAULT_SIZES);
	st->readslot = ExecInitExtraTupleSlot(estate,
										  node->ss.ss_ScanTupleSlot->tts_tupleDescriptor,
										  &TTSOpsMinimalTuple);
}

/* ---------------------------------------------------------------- arguments */

static Datum
wp_arg(WpState *st, int n, bool *isnull)
{
	ExprState  *es = list_nth(st->argstates, n);

	return ExecEvalExpr(es, st->css.ss.ps.ps_ExprContext, isnull);
}

static char *
wp_text_arg(WpState *st, int n, const char *argname)
{
	bool		isnull;
	Datum		d = wp_arg(st, n, &isnull);

	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s: %s must not be NULL", st->fname, argname)));
	return TextDatumGetCString(d);
}

static int64
wp_interval_arg(WpState *st, int n, const char *argname)
{
	bool		isnull;
	Datum		d = wp_arg(st, n, &isnull);

	return wt_interval_value(d, isnull, st->fname, argname);
}

/* The window spec from the arguments, checked as the functions check it. */
static void
wp_read_spec(WpState *st, char **part_col)
{
	bool		isnull;
	Datum		d;

	memset(&st->spec, 0, sizeof(st->spec));
	st->spec.kind = st->kind;
	*part_col = NULL;
	switch (st->kind)
	{
		case WIN_TUMBLE:
			st->spec.size = wp_interval_arg(st, 2, "size");
			st->spec.offset = wp_interval_arg(st, 3, "offset");
			break;
		case WIN_HOP:
			st->spec.slide = wp_interval_arg(st, 2, "slide");
			st->spec.size = wp_interval_arg(st, 3, "size");
			st->spec.offset = wp_interval_arg(st, 4, "offset");
			break;
		case WIN_CUMULATE:
			st->spec.slide = wp_interval_arg(st, 2, "step");
			st->spec.size = wp_interval_arg(st, 3, "max_size");
			st->spec.offset = wp_interval_arg(st, 4, "offset");
			break;
		case WIN_SESSION:
			st->spec.size = wp_interval_arg(st, 2, "gap");
			d = wp_arg(st, 3, &isnull);
			if (!isnull)
				*part_col = TextDatumGetCString(d);
			break;
	}
	win_spec_check(&st->spec);
}

/* ---------------------------------------------------------------- binding */

/* Column n (1-based) of the column definition list. */
static const char *
wp_colname(WpState *st, AttrNumber n)
{
	return strVal(list_nth(st->colnames, n - 1));
}

/* Point Vars of the function's output at the input's attributes. */
typedef struct WpRemap
{
	WtOutCol   *out;
} WpRemap;

static Node *
wp_remap_vars(Node *node, WpRemap *r)
{
	if (node == NULL)
		return NULL;
	if (IsA(node, Var) && ((Var *) node)->varlevelsup == 0)
	{
		Var		   *v = (Var *) copyObject(node);

		v->varattno = r->out[v->varattno - 1].att + 1;
		return (Node *) v;
	}
	return expression_tree_mutator(node, wp_remap_vars, (void *) r);
}

/*
 * Bind the input's columns and set up keys, aggregates and the core.  The
 * input's description comes from preparing it alone; returns the attribute
 * list "k1, k2, ..., time" (1-based) to sort by.
 */
static char *
wp_bind(WpState *st, TupleDesc indesc, const char *time_col, const char *part_col)
{
	CustomScan *cs = (CustomScan *) st->css.ss.ps.plan;
	int			ncols = list_length(st->colnames);
	TupleDesc	outdesc = CreateTemplateTupleDesc(ncols);
	WtOutCol   *out = palloc0(sizeof(WtOutCol) * Max(ncols, 1));
	WtBinding	b;
	WpRemap		remap = {out};
	StringInfoData order;
	ListCell   *lc;
	int			i,
				k = 0,
				a = 0,
				nargs = 0;

	for (i = 0; i < ncols; i++)
		TupleDescInitEntry(outdesc, i + 1, wp_colname(st, i + 1),
						   list_nth_oid(st->coltypes, i), -1, 0);
	wt_bind_input(indesc, outdesc, st->fname, st->kind, time_col, part_col, out, &b);
	st->time_att = b.time_att;
	if (b.time_type == TIMESTAMPTZOID && st->kind != WIN_SESSION)
		st->spec.tz = session_timezone;
	st->natts_needed = b.maxatt + 1;

	/* grouping columns */
	initStringInfo(&order);
	st->scan_src = palloc(sizeof(WtSource) * Max(st->nkeys, 1));
	st->scan_inkey = palloc(sizeof(int) * Max(st->nkeys, 1));
	st->ninkeys = list_length(st->eqops);
	st->inkeys = palloc0(sizeof(WpKey) * Max(st->ninkeys, 1));
	for (i = 0; i < st->nkeys; i++)
	{
		Var		   *var = (Var *) ((TargetEntry *) list_nth(cs->custom_scan_tlist, i))->expr;
		WtOutCol   *oc = &out[var->varattno - 1];

		st->scan_src[i] = oc->src;
		st->scan_inkey[i] = -1;
		if (oc->src == WT_INPUT)
		{
			WpKey	   *key = &st->inkeys[k];

			key->scanidx = i;
			key->att = oc->att;
			key->collation = var->varcollid;
			fmgr_info(get_opcode(list_nth_oid(st->eqops, k)), &key->eq);
			get_typlenbyval(var->vartype, &key->typlen, &key->typbyval);
			appendStringInfo(&order, "%d, ", key->att + 1);
			st->scan_inkey[i] = k++;
		}
	}
	appendStringInfo(&order, "%d", st->time_att + 1);
	st->keyvals = palloc0(sizeof(Datum) * Max(st->ninkeys, 1));
	st->keynulls = palloc0(sizeof(bool) * Max(st->ninkeys, 1));

	/* aggregates: arguments read input attributes, or are evaluated */
	st->aggs = palloc0(sizeof(WcAggDef) * Max(st->naggs, 1));
	st->filter = palloc0(sizeof(ExprState *) * Max(st->naggs, 1));
	for_each_from(lc, cs->custom_scan_tlist, st->nkeys)
	{
		Aggref	   *agg = (Aggref *) ((TargetEntry *) lfirst(lc))->expr;

		st->aggs[a] = *wc_build_aggdef(agg, get_func_name(agg->aggfnoid));
		nargs += list_length(agg->args);
		if (agg->aggfilter)
			st->filter[a] = ExecInitExpr((Expr *) wp_remap_vars((Node *) agg->aggfilter, &remap),
										 NULL);
		a++;
	}
	st->arg_att = palloc(sizeof(int) * Max(nargs, 1));
	st->arg_expr = palloc0(sizeof(ExprState *) * Max(nargs, 1));
	st->argv = palloc0(sizeof(Datum) * Max(nargs, 1));
	st->argnull = palloc0(sizeof(bool) * Max(nargs, 1));
	st->skip = palloc0(sizeof(bool) * Max(st->naggs, 1));
	nargs = 0;
	for_each_from(lc, cs->custom_scan_tlist, st->nkeys)
	{
		Aggref	   *agg = (Aggref *) ((TargetEntry *) lfirst(lc))->expr;
		ListCell   *ac;

		foreach(ac, agg->args)
		{
			Expr	   *e = ((TargetEntry *) lfirst(ac))->expr;

			st->arg_att[nargs] = -1;
			if (IsA(e, Var))
				st->arg_att[nargs] = out[((Var *) e)->varattno - 1].att;
			else
				st->arg_expr[nargs] = ExecInitExpr((Expr *) wp_remap_vars((Node *) e, &remap),
												   NULL);
			nargs++;
		}
	}
	st->rowcxt = CreateStandaloneExprContext();
	st->outvals = palloc0(sizeof(Datum) * list_length(cs->custom_scan_tlist));
	st->outnulls = palloc0(sizeof(bool) * list_length(cs->custom_scan_tlist));
	return order.data;
}

/* ---------------------------------------------------------------- running */

/* A completed window of the current key: one row of the scan tuple. */
static void
wp_emit(void *arg, const WinBounds *w, const Datum *values, const bool *isnull)
{
	WpState    *st = (WpState *) arg;
	TupleDesc	desc = st->css.ss.ss_ScanTupleSlot->tts_tupleDescriptor;
	int			i;

	for (i = 0; i < st->nkeys; i++)
	{
		st->outnulls[i] = false;
		switch (st->scan_src[i])
		{
			case WT_INPUT:
				st->outvals[i] = st->keyvals[st->scan_inkey[i]];
				st->outnulls[i] = st->keynulls[st->scan_inkey[i]];
				break;
			case WT_START:
				st->outvals[i] = Int64GetDatum(w->start);
				break;
			case WT_END:
				st->outvals[i] = Int64GetDatum(w->end);
				break;
			case WT_TIME:
				st->outvals[i] = Int64GetDatum(win_time(w));
				break;
		}
	}
	for (i = 0; i < st->naggs; i++)
	{
		st->outvals[st->nkeys + i] = values[i];
		st->outnulls[st->nkeys + i] = isnull[i];
	}
	tuplestore_putvalues(st->out, desc, st->outvals, st->outnulls);
}

/* Does the row start a new key? */
static bool
wp_new_key(WpState *st, TupleTableSlot *slot)
{
	if (!st->have_key)
		return true;
	for (int i = 0; i < st->ninkeys; i++)
	{
		WpKey	   *key = &st->inkeys[i];
		bool		null = slot->tts_isnull[key->att];

		if (null != st->keynulls[i])
			return true;
		if (null)
			continue;
		/* the same bytes are the same key; otherwise GROUP BY's equality says */
		if (datum_image_eq(st->keyvals[i], slot->tts_values[key->att],
						   key->typbyval, key->typlen))
			continue;
		if (!DatumGetBool(FunctionCall2Coll(&key->eq, key->collation, st->keyvals[i],
											slot->tts_values[key->att])))
			return true;
	}
	return false;
}

static void
wp_keep_key(WpState *st, TupleTableSlot *slot)
{
	MemoryContext old;

	MemoryContextReset(st->keycxt);
	old = MemoryContextSwitchTo(st->keycxt);
	for (int i = 0; i < st->ninkeys; i++)
	{
		WpKey	   *key = &st->inkeys[i];
		bool		null = slot->tts_isnull[key->att];

		st->keynulls[i] = null;
		st->keyvals[i] = null ? (Datum) 0 :
			datumCopy(srf_store_value(slot->tts_values[key->att], false, key->typlen == -1),
					  key->typbyval, key->typlen);
	}
	MemoryContextSwitchTo(old);
	st->have_key = true;
}

static bool
wp_receive(TupleTableSlot *slot, DestReceiver *self)
{
	WpState    *st = ((WpReceiver *) self)->st;
	ExprContext *ecxt = st->rowcxt;
	WcRowArgs	ra;
	int			ai = 0;

	CHECK_FOR_INTERRUPTS();
	slot_getsomeattrs(slot, st->natts_needed);
	if (slot->tts_isnull[st->time_att])
		return true;			/* rows without a time are dropped */

	if (wp_new_key(st, slot))
	{
		if (st->have_key)
			ws_end_key(st->core);
		wp_keep_key(st, slot);
	}

	ResetExprContext(ecxt);
	ecxt->ecxt_scantuple = slot;
	for (int a = 0; a < st->naggs; a++)
	{
		st->skip[a] = false;
		if (st->filter[a])
		{
			bool		isnull;
			Datum		ok = ExecEvalExprSwitchContext(st->filter[a], ecxt, &isnull);

			st->skip[a] = isnull || !DatumGetBool(ok);
		}
		for (int j = 0; j < st->aggs[a].numargs; j++, ai++)
		{
			if (st->arg_att[ai] >= 0)
			{
				st->argv[ai] = slot->tts_values[st->arg_att[ai]];
				st->argnull[ai] = slot->tts_isnull[st->arg_att[ai]];
			}
			else
				st->argv[ai] = ExecEvalExprSwitchContext(st->arg_expr[ai], ecxt,
														 &st->argnull[ai]);
		}
	}
	ra.argv = st->argv;
	ra.argnull = st->argnull;
	ra.skip = st->skip;
	ws_push(st->core, DatumGetInt64(slot->tts_values[st->time_att]), &ra);
	return true;
}

static void
wp_receiver_startup(DestReceiver *self, int operation, TupleDesc typeinfo)
{
}

static void
wp_receiver_noop(DestReceiver *self)
{
}

/* Run the whole aggregation into the tuplestore. */
static void
wp_run(WpState *st)
{
	MemoryContext old = MemoryContextSwitchTo(st->runcxt);
	char	   *input;
	char	   *time_col;
	char	   *part_col;
	char	   *order;
	SPIPlanPtr	plan;
	SPIExecuteOptions options;
	CachedPlanSource *source;
	bool		by_start,
				by_end;
	int			rc;

	input = wp_text_arg(st, 0, "input");
	time_col = wp_text_arg(st, 1, "time_column");
	wp_read_spec(st, &part_col);

	if ((rc = SPI_connect()) != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed: %s", SPI_result_code_string(rc));
	MemoryContextSwitchTo(st->runcxt);

	/* describe the input as the function would see it */
	plan = SPI_prepare(input, 0, NULL);
	MemoryContextSwitchTo(st->runcxt);	/* SPI calls return in their own */
	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
	if (!SPI_is_cursor_plan(plan))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: input must be a single query that returns rows", st->fname)));
	source = linitial(SPI_plan_get_plan_sources(plan));
	order = wp_bind(st, source->resultDesc, time_col, part_col);
	SPI_freeplan(plan);

	st->keycxt = AllocSetContextCreate(st->runcxt, "window pushdown key",
									   ALLOCSET_SMALL_SIZES);
	st->have_key = false;
	by_start = by_end = false;
	for (int i = 0; i < st->nkeys; i++)
	{
		by_start |= st->scan_src[i] == WT_START;
		by_end |= st->scan_src[i] == WT_END || st->scan_src[i] == WT_TIME;
	}
	st->core = ws_create(&st->spec, by_start, by_end, st->naggs, st->aggs, st->runcxt,
						 wp_emit, st);
	st->out = tuplestore_begin_heap(false, false, work_mem);

	/* the same rows, sorted by the database */
	plan = SPI_prepare(wp_sorted_query(input, order), 0, NULL);
	MemoryContextSwitchTo(st->runcxt);
	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));

	st->recv.pub.receiveSlot = wp_receive;
	st->recv.pub.rStartup = wp_receiver_startup;
	st->recv.pub.rShutdown = wp_receiver_noop;
	st->recv.pub.rDestroy = wp_receiver_noop;
	st->recv.pub.mydest = DestNone;
	st->recv.st = st;
	memset(&options, 0, sizeof(options));
	options.read_only = false;
	options.dest = (DestReceiver *) &st->recv;
	rc = SPI_execute_plan_extended(plan, &options);
	MemoryContextSwitchTo(st->runcxt);
	if (rc < 0)
		elog(ERROR, "SPI_execute_plan_extended failed: %s", SPI_result_code_string(rc));
	if (st->have_key)
		ws_end_key(st->core);
	SPI_finish();

	FreeExprContext(st->rowcxt, true);
	st->rowcxt = NULL;
	ws_destroy(st->core);
	st->core = NULL;
	st->filled = true;
	MemoryContextSwitchTo(old);
}

/* ---------------------------------------------------------------- scan */

static TupleTableSlot *
wp_next(ScanState *ss)
{
	WpState    *st = (WpState *) ss;

	TupleTableSlot *scan = ss->ss_ScanTupleSlot;
	TupleTableSlot *read;

	if (!st->filled)
		wp_run(st);
	read = st->readslot;
	ExecClearTuple(scan);
	if (!tuplestore_gettupleslot(st->out, true, false, read))
		return scan;
	/* the scan slot is virtual: point it at the stored tuple's values */
	slot_getallattrs(read);
	memcpy(scan->tts_values, read->tts_values, sizeof(Datum) * read->tts_nvalid);
	memcpy(scan->tts_isnull, read->tts_isnull, sizeof(bool) * read->tts_nvalid);
	return ExecStoreVirtualTuple(scan);
}

static bool
wp_recheck(ScanState *ss, TupleTableSlot *slot)
{
	return true;
}

static TupleTableSlot *
wp_exec(CustomScanState *node)
{
	return ExecScan(&node->ss, wp_next, wp_recheck);
}

static void
wp_reset(WpState *st)
{
	if (st->out)
		tuplestore_end(st->out);
	st->out = NULL;
	st->filled = false;
	MemoryContextReset(st->runcxt);
}

static void
wp_end(CustomScanState *node)
{
	wp_reset((WpState *) node);
}

static void
wp_rescan(CustomScanState *node)
{
	wp_reset((WpState *) node);
	ExecScanReScan(&node->ss);
}

static void
wp_explain(CustomScanState *node, List *ancestors, ExplainState *es)
{
	WpState    *st = (WpState *) node;

	ExplainPropertyText("Window Function", st->fname, es);
}
