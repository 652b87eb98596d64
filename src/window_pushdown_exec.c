/*-------------------------------------------------------------------------
 *
 * window_pushdown_exec.c
 *	  Executor side of the GROUP BY pushdown for the window table functions
 *	  (see window_pushdown.h): a custom scan that reads the function's input
 *	  query sorted by (input grouping columns, time), feeds each key's rows
 *	  to the sorted window aggregation (window_sorted.c), and returns one
 *	  row per group with the aggregate values; the plan's target list and
 *	  HAVING are applied on top by ExecScan.
 *
 * The input query is bound exactly as the table function binds it
 * (wt_bind_input: same column checks and messages), then opened as a
 * cursor over
 *	 SELECT * FROM (<input>) AS asset_stream_input ORDER BY <keys>, <time>
 * so the database sorts it, or reads it in order from an index on
 * (key, time).  The cursor is read WP_BATCH rows at a time into a
 * DestReceiver; the groups those rows complete wait in a small queue and
 * are returned from there, so nothing is materialised beyond one batch's
 * groups and the windows still open.  Grouping columns are compared with
 * the GROUP BY equality operator (after a binary comparison); rows with a
 * NULL time are dropped, as by the functions.
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
#include "executor/execdesc.h"
#include "utils/ruleutils.h"
#include "utils/tuplestore.h"

#include "srf_columns.h"
#include "window_core.h"
#include "window_pushdown.h"
#include "window_sorted.h"
#include "window_tvf.h"

/* One input grouping column. */
typedef struct WpKey
{
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
	bool		has_exprs;		/* some argument or FILTER is an expression */
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

	/* the sorted input, run in batches by an executor of our own */
	QueryDesc  *input;
	bool		started;
	bool		input_done;
	int			batch_rows;		/* rows received in this batch */
	WpReceiver	recv;

	/* completed groups of the last batch, returned one by one */
	MemoryContext queuecxt;		/* reset when the queue is drained */
	int			nscan;			/* scan tuple columns */
	int16	   *scan_typlen;
	bool	   *scan_typbyval;
	Datum	   *qvals;			/* qcap rows of nscan values */
	bool	   *qnulls;
	int			qlen;
	int			qcap;
	int			qpos;

	/*
	 * Rescans (EXEC_FLAG_REWIND, or a correlated subquery): the groups are kept as
	 * they are returned, and a rescan whose function arguments did not
	 * change replays them, so the input is run once per statement, as the
	 * table function runs it.
	 */
	bool		rewind;
	Bitmapset  *arg_params;		/* PARAM_EXEC ids the arguments use */
	Tuplestorestate *kept;
	TupleTableSlot *keptslot;
	bool		replaying;
};

/* input rows per fetch */
#define WP_BATCH	1000

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

/* Collect the PARAM_EXEC ids an expression uses. */
static bool
wp_exec_params(Node *node, Bitmapset **ids)
{
	if (node == NULL)
		return false;
	if (IsA(node, Param) && ((Param *) node)->paramkind == PARAM_EXEC)
		*ids = bms_add_member(*ids, ((Param *) node)->paramid);
	return expression_tree_walker(node, wp_exec_params, (void *) ids);
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
	st->arg_params = NULL;
	wp_exec_params((Node *) cs->custom_exprs, &st->arg_params);
	/* arguments with executor parameters: a rescan would rarely replay */
	st->rewind = ((eflags & EXEC_FLAG_REWIND) != 0 ||
				  intVal(list_nth(priv, WP_PRIV_KEEP)) != 0) &&
		bms_is_empty(st->arg_params);
	if (st->rewind)
	{
		st->kept = tuplestore_begin_heap(false, false, work_mem);
		st->keptslot = ExecInitExtraTupleSlot(estate,
											  node->ss.ss_ScanTupleSlot->tts_tupleDescriptor,
											  &TTSOpsMinimalTuple);
	}
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

	return wt_text_value(d, isnull, st->fname, argname);
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
 * A session's groups are its partition's sessions only if the input
 * grouping columns are exactly the partition_by columns.  The planner
 * checked the names; a name that bound otherwise than it assumed (say, two
 * input columns differing only in case) is refused here.
 */
static void
wp_check_partition(WpState *st, const WtBinding *b, const WtOutCol *out)
{
	CustomScan *cs = (CustomScan *) st->css.ss.ps.plan;
	bool	   *covered = palloc0(sizeof(bool) * Max(b->npart, 1));
	bool		ok = true;
	int			nin = 0;

	for (int i = 0; i < st->nkeys; i++)
	{
		Var		   *var = (Var *) ((TargetEntry *) list_nth(cs->custom_scan_tlist, i))->expr;
		const WtOutCol *oc = &out[var->varattno - 1];
		int			j;

		if (oc->src != WT_INPUT)
			continue;
		nin++;
		for (j = 0; j < b->npart; j++)
			if (b->part_atts[j] == oc->att && !covered[j])
				break;
		if (j == b->npart)
			ok = false;
		else
			covered[j] = true;
	}
	if (!ok || nin != b->npart)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("session: the grouping columns do not bind to the partition_by columns"),
				 errhint("Set asset_stream.window_pushdown = off for this query.")));
	pfree(covered);
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

	st->has_exprs = false;
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

			key->att = oc->att;
			key->collation = var->varcollid;
			fmgr_info(get_opcode(list_nth_oid(st->eqops, k)), &key->eq);
			get_typlenbyval(var->vartype, &key->typlen, &key->typbyval);

			/*
			 * Equal keys must come together under GROUP BY's collation; the
			 * input column may have another (a nondeterministic one would
			 * interleave them), so then the sort names GROUP BY's.  The name
			 * is unambiguous: binding checked it.
			 */
			if (OidIsValid(var->varcollid) &&
				var->varcollid != TupleDescAttr(indesc, oc->att)->attcollation)
				appendStringInfo(&order, "%s COLLATE %s, ",
								 quote_identifier(NameStr(TupleDescAttr(indesc, oc->att)->attname)),
								 generate_collation_name(var->varcollid));
			else
				appendStringInfo(&order, "%d, ", key->att + 1);
			st->scan_inkey[i] = k++;
		}
	}
	appendStringInfo(&order, "%d", st->time_att + 1);
	if (st->kind == WIN_SESSION)
		wp_check_partition(st, &b, out);
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
		st->has_exprs |= agg->aggfilter != NULL;
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
			{
				st->arg_expr[nargs] = ExecInitExpr((Expr *) wp_remap_vars((Node *) e, &remap),
												   NULL);
				st->has_exprs = true;
			}
			nargs++;
		}
	}
	st->rowcxt = CreateStandaloneExprContext();
	return order.data;
}

/* ---------------------------------------------------------------- running */

/*
 * A completed window of the current key: a row of the scan tuple, queued
 * with copies of its by-reference values (the key's copy is replaced at the
 * next key, the aggregate results at the next window).
 */
static void
wp_emit(void *arg, const WinBounds *w, const Datum *values, const bool *isnull)
{
	WpState    *st = (WpState *) arg;
	MemoryContext old = MemoryContextSwitchTo(st->queuecxt);
	Datum	   *row;
	bool	   *nulls;
	int			i;

	if (st->qlen == st->qcap)
	{
		st->qcap *= 2;
		st->qvals = repalloc(st->qvals, sizeof(Datum) * st->qcap * st->nscan);
		st->qnulls = repalloc(st->qnulls, sizeof(bool) * st->qcap * st->nscan);
	}
	row = st->qvals + (Size) st->qlen * st->nscan;
	nulls = st->qnulls + (Size) st->qlen * st->nscan;
	st->qlen++;
	for (i = 0; i < st->nkeys; i++)
	{
		nulls[i] = false;
		switch (st->scan_src[i])
		{
			case WT_INPUT:
				row[i] = st->keyvals[st->scan_inkey[i]];
				nulls[i] = st->keynulls[st->scan_inkey[i]];
				break;
			case WT_START:
				row[i] = Int64GetDatum(w->start);
				break;
			case WT_END:
				row[i] = Int64GetDatum(w->end);
				break;
			case WT_TIME:
				row[i] = Int64GetDatum(win_time(w));
				break;
		}
	}
	for (i = 0; i < st->naggs; i++)
	{
		row[st->nkeys + i] = values[i];
		nulls[st->nkeys + i] = isnull[i];
	}
	for (i = 0; i < st->nscan; i++)
		if (!nulls[i] && !st->scan_typbyval[i])
			row[i] = datumCopy(row[i], false, st->scan_typlen[i]);
	MemoryContextSwitchTo(old);
}

/* Binary equality, directly for plain (not compressed or external) varlenas. */
static inline bool
wp_same_image(const WpKey *key, Datum a, Datum b)
{
	if (key->typbyval)
		return a == b;
	if (key->typlen == -1)
	{
		const struct varlena *va = (const struct varlena *) DatumGetPointer(a);
		const struct varlena *vb = (const struct varlena *) DatumGetPointer(b);

		if (!VARATT_IS_EXTERNAL(va) && !VARATT_IS_COMPRESSED(va) &&
			!VARATT_IS_EXTERNAL(vb) && !VARATT_IS_COMPRESSED(vb))
			return VARSIZE_ANY_EXHDR(va) == VARSIZE_ANY_EXHDR(vb) &&
				memcmp(VARDATA_ANY(va), VARDATA_ANY(vb), VARSIZE_ANY_EXHDR(va)) == 0;
	}
	return datum_image_eq(a, b, key->typbyval, key->typlen);
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
		if (wp_same_image(key, st->keyvals[i], slot->tts_values[key->att]))
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
		st->keyvals[i] = (Datum) 0;
		if (!null)
		{
			Datum		v = slot->tts_values[key->att];
			Datum		kept = srf_store_value(v, false, key->typlen == -1);

			/* a fetched external value is already a copy of our own */
			st->keyvals[i] = kept != v ? kept : datumCopy(v, key->typbyval, key->typlen);
		}
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
	st->batch_rows++;
	slot_getsomeattrs(slot, st->natts_needed);
	if (slot->tts_isnull[st->time_att])
		return true;			/* rows without a time are dropped */

	if (wp_new_key(st, slot))
	{
		if (st->have_key)
			ws_end_key(st->core);
		wp_keep_key(st, slot);
	}

	if (st->has_exprs)
	{
		ResetExprContext(ecxt);
		ecxt->ecxt_scantuple = slot;
	}
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
	/* enough groups to return: stop this batch here */
	return st->qlen < WP_BATCH;
}

static void
wp_receiver_startup(DestReceiver *self, int operation, TupleDesc typeinfo)
{
}

static void
wp_receiver_noop(DestReceiver *self)
{
}

/*
 * The sorted query must return the columns the input was bound to (a type
 * altered by another session between the two preparations would not).
 */
static void
wp_check_same_columns(TupleDesc bound, TupleDesc sorted, const char *fname)
{
	bool		same = bound->natts == sorted->natts;

	for (int i = 0; same && i < bound->natts; i++)
		same = TupleDescAttr(bound, i)->atttypid == TupleDescAttr(sorted, i)->atttypid;
	if (!same)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("%s: the input query's columns changed while it was being prepared",
						fname),
				 errhint("Run the query again.")));
}

/*
 * Bind the input and open it, sorted by (keys, time), for wp_fetch to run
 * in batches.
 */
static void
wp_start(WpState *st)
{
	MemoryContext old = MemoryContextSwitchTo(st->runcxt);
	TupleDesc	scandesc = st->css.ss.ss_ScanTupleSlot->tts_tupleDescriptor;
	char	   *input;
	char	   *time_col;
	char	   *part_col;
	char	   *order;
	SPIPlanPtr	plan;
	CachedPlanSource *source;
	CachedPlan *cplan;
	PlannedStmt *stmt;
	TupleDesc	source_desc;
	char	   *sql;
	bool		by_start,
				by_end,
				by_time;
	int			rc;

	input = wp_text_arg(st, 0, "input");
	time_col = wp_text_arg(st, 1, "time_column");
	wp_read_spec(st, &part_col);

	if ((rc = SPI_connect()) != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed: %s", SPI_result_code_string(rc));
	MemoryContextSwitchTo(st->runcxt);

	/* describe the input as the function would see it */
	plan = srf_prepare_input(input, st->fname);
	MemoryContextSwitchTo(st->runcxt);	/* SPI calls return in their own */
	source = linitial(SPI_plan_get_plan_sources(plan));
	order = wp_bind(st, source->resultDesc, time_col, part_col);
	source_desc = CreateTupleDescCopy(source->resultDesc);
	SPI_freeplan(plan);

	/*
	 * The same rows, sorted by the database.  The plan is run by an
	 * executor owned by this node (ended in wp_end), with the outer query's
	 * snapshot: the input sees what the statement sees, not rows the
	 * statement itself writes while it reads the input in batches.
	 */
	sql = wp_sorted_query(input, order);
	plan = SPI_prepare(sql, 0, NULL);
	MemoryContextSwitchTo(st->runcxt);
	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
	wp_check_same_columns(source_desc,
						  ((CachedPlanSource *) linitial(SPI_plan_get_plan_sources(plan)))->resultDesc,
						  st->fname);
	cplan = SPI_plan_get_cached_plan(plan);
	MemoryContextSwitchTo(st->runcxt);
	if (cplan == NULL || list_length(cplan->stmt_list) != 1)
		elog(ERROR, "window pushdown: the sorted input is not one statement");
	stmt = copyObject(linitial_node(PlannedStmt, cplan->stmt_list));
	ReleaseCachedPlan(cplan, NULL);
	SPI_finish();
	MemoryContextSwitchTo(st->runcxt);

	st->keycxt = AllocSetContextCreate(st->runcxt, "window pushdown key",
									   ALLOCSET_SMALL_SIZES);
	st->have_key = false;
	by_start = by_end = by_time = false;
	for (int i = 0; i < st->nkeys; i++)
	{
		by_start |= st->scan_src[i] == WT_START;
		by_end |= st->scan_src[i] == WT_END;
		by_time |= st->scan_src[i] == WT_TIME;
	}
	st->core = ws_create(&st->spec, by_start, by_end, by_time, st->naggs, st->aggs, st->runcxt,
						 wp_emit, st);

	st->queuecxt = AllocSetContextCreate(st->runcxt, "window pushdown groups",
										 ALLOCSET_DEFAULT_SIZES);
	st->nscan = scandesc->natts;
	st->scan_typlen = palloc(sizeof(int16) * Max(st->nscan, 1));
	st->scan_typbyval = palloc(sizeof(bool) * Max(st->nscan, 1));
	for (int i = 0; i < st->nscan; i++)
	{
		st->scan_typlen[i] = TupleDescAttr(scandesc, i)->attlen;
		st->scan_typbyval[i] = TupleDescAttr(scandesc, i)->attbyval;
	}
	st->qcap = 64;
	st->qvals = palloc(sizeof(Datum) * st->qcap * Max(st->nscan, 1));
	st->qnulls = palloc(sizeof(bool) * st->qcap * Max(st->nscan, 1));
	st->qlen = st->qpos = 0;

	st->recv.pub.receiveSlot = wp_receive;
	st->recv.pub.rStartup = wp_receiver_startup;
	st->recv.pub.rShutdown = wp_receiver_noop;
	st->recv.pub.rDestroy = wp_receiver_noop;
	st->recv.pub.mydest = DestNone;
	st->recv.st = st;
	st->input = CreateQueryDesc(stmt, sql, st->css.ss.ps.state->es_snapshot,
								InvalidSnapshot, (DestReceiver *) &st->recv,
								NULL, NULL, 0);
	ExecutorStart(st->input, 0);
	st->input_done = false;
	st->started = true;
	MemoryContextSwitchTo(old);
}

/* End the input's executor, if it runs. */
static void
wp_end_input(WpState *st)
{
	if (st->input == NULL)
		return;
	ExecutorFinish(st->input);
	ExecutorEnd(st->input);
	FreeQueryDesc(st->input);
	st->input = NULL;
}

/*
 * Run the input for up to WP_BATCH more rows (the receiver stops earlier
 * once as many groups wait); at its end, the last key's windows.
 */
static void
wp_fetch(WpState *st)
{
	MemoryContext old = MemoryContextSwitchTo(st->runcxt);

	MemoryContextReset(st->queuecxt);
	st->qlen = st->qpos = 0;
	st->batch_rows = 0;
	ExecutorRun(st->input, ForwardScanDirection, WP_BATCH, false);
	if (st->batch_rows < WP_BATCH && st->qlen < WP_BATCH)
	{
		if (st->have_key)
			ws_end_key(st->core);
		st->have_key = false;
		wp_end_input(st);
		st->input_done = true;
	}
	MemoryContextSwitchTo(old);
}

/* ---------------------------------------------------------------- scan */

/* The next group from the queue, reading input as needed; false at the end. */
static bool
wp_next_group(WpState *st, TupleTableSlot *scan)
{
	if (!st->started)
		wp_start(st);
	while (st->qpos >= st->qlen)
	{
		if (st->input_done)
			return false;
		wp_fetch(st);
	}
	/* the scan slot is virtual: point it at the queued row */
	memcpy(scan->tts_values, st->qvals + (Size) st->qpos * st->nscan,
		   sizeof(Datum) * st->nscan);
	memcpy(scan->tts_isnull, st->qnulls + (Size) st->qpos * st->nscan,
		   sizeof(bool) * st->nscan);
	st->qpos++;
	ExecStoreVirtualTuple(scan);
	if (st->rewind)
		tuplestore_puttupleslot(st->kept, scan);
	return true;
}

static TupleTableSlot *
wp_next(ScanState *ss)
{
	WpState    *st = (WpState *) ss;
	TupleTableSlot *scan = ss->ss_ScanTupleSlot;

	ExecClearTuple(scan);
	if (st->replaying)
	{
		if (!tuplestore_gettupleslot(st->kept, true, false, st->keptslot))
			return scan;
		slot_getallattrs(st->keptslot);
		memcpy(scan->tts_values, st->keptslot->tts_values, sizeof(Datum) * st->nscan);
		memcpy(scan->tts_isnull, st->keptslot->tts_isnull, sizeof(bool) * st->nscan);
		return ExecStoreVirtualTuple(scan);
	}
	if (!wp_next_group(st, scan))
		ExecClearTuple(scan);
	return scan;
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
	wp_end_input(st);
	st->started = false;
	MemoryContextReset(st->runcxt);
}

static void
wp_end(CustomScanState *node)
{
	WpState    *st = (WpState *) node;

	wp_reset(st);
	if (st->kept)
		tuplestore_end(st->kept);
	st->kept = NULL;
}

static void
wp_rescan(CustomScanState *node)
{
	WpState    *st = (WpState *) node;

	if (st->rewind && st->started &&
		!bms_overlap(node->ss.ps.chgParam, st->arg_params))
	{
		/* the same groups: keep the rest of them, then replay from the start */
		if (!st->replaying)
		{
			TupleTableSlot *scan = node->ss.ss_ScanTupleSlot;

			while (wp_next_group(st, scan))
				CHECK_FOR_INTERRUPTS();
			ExecClearTuple(scan);
			st->replaying = true;
		}
		tuplestore_rescan(st->kept);
	}
	else
	{
		wp_reset(st);
		st->replaying = false;
		if (st->rewind)
			tuplestore_clear(st->kept);
	}
	ExecScanReScan(&node->ss);
}

static void
wp_explain(CustomScanState *node, List *ancestors, ExplainState *es)
{
	WpState    *st = (WpState *) node;

	ExplainPropertyText("Window Function", st->fname, es);
}
