/*-------------------------------------------------------------------------
 *
 * window_pushdown.c
 *	  Planner side of the GROUP BY pushdown for the window table functions
 *	  (see window_pushdown.h): a create_upper_paths_hook that recognises
 *
 *	    SELECT <grouping columns>, <aggregates> ...
 *	    FROM asset_stream.tumble|hop|cumulate|session('<query>', '<time>', ...)
 *	         AS w(...)
 *	    GROUP BY <input columns>, <window columns> [HAVING ...]
 *
 *	  and offers a custom scan path for the grouped relation that runs the
 *	  window aggregation itself.
 *
 * The pushdown applies only when it gives exactly the result of the plain
 * plan; otherwise the query is planned as usual:
 *	- the function is the only FROM item, with no WHERE on its output, no
 *	  ORDINALITY, and a column definition list; the input query and the time
 *	  column are constants (session: partition_by too); the input query is a
 *	  plain SELECT without data-modifying WITH;
 *	- GROUP BY lists plain columns of the function (no grouping sets, no
 *	  expressions) that identify the window: any window column for tumble,
 *	  hop and session, window_end or window_time for cumulate (its windows
 *	  share starts); every input grouping column has a sort order and a
 *	  deterministic collation; for session the input grouping columns are
 *	  exactly the partition_by column;
 *	- every aggregate is a plain call (no DISTINCT, no ORDER BY inside, no
 *	  ordered-set aggregate), over input columns only, without subqueries;
 *	  FILTER is allowed.
 * The path is costed below the function scan it replaces, so it wins when
 * it applies; asset_stream.window_pushdown = off turns it off.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_aggregate.h"
#include "executor/spi.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "optimizer/clauses.h"
#include "optimizer/optimizer.h"
#include "optimizer/pathnode.h"
#include "optimizer/planner.h"
#include "parser/parsetree.h"
#include "parser/parser.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/plancache.h"
#include "utils/typcache.h"

#include "srf_columns.h"
#include "window_core.h"
#include "window_pushdown.h"

int			wp_mode = WP_AUTO;

static const struct config_enum_entry wp_mode_options[] = {
	{"auto", WP_AUTO, false},
	{"on", WP_ON, false},
	{"off", WP_OFF, false},
	{"true", WP_ON, true},
	{"false", WP_OFF, true},
	{"yes", WP_ON, true},
	{"no", WP_OFF, true},
	{"1", WP_ON, true},
	{"0", WP_OFF, true},
	{NULL, 0, false}
};

PG_FUNCTION_INFO_V1(window_support);

static create_upper_paths_hook_type prev_upper_paths_hook = NULL;

static const char *const wp_window_cols[] = {"window_start", "window_end", "window_time"};

/* What the hook found out about one grouped query. */
typedef struct WpQuery
{
	WinKind		kind;
	const char *input;			/* the input query */
	RangeTblFunction *rtfunc;
	Index		relid;
	List	   *keyvars;		/* grouping columns (Vars), no duplicates */
	List	   *eqops;			/* per input grouping column, in keyvars order */
	List	   *inputkeys;		/* their names */
	List	   *aggrefs;		/* distinct aggregate calls */
	List	   *othervars;		/* Vars outside aggregates: must be keys */
	bool		window_col[3];	/* window_start, window_end, window_time */
	bool		desc_done;		/* indesc was looked up (wp_input_desc) */
	TupleDesc	indesc;			/* the input's row description, or NULL */
} WpQuery;

static Plan *wp_plan_path(PlannerInfo *root, RelOptInfo *rel, CustomPath *best_path,
						  List *tlist, List *clauses, List *custom_plans);

static CustomPathMethods wp_path_methods = {
	.CustomName = "AssetStreamWindowAggregate",
	.PlanCustomPath = wp_plan_path,
};

/* Is funcid one of asset_stream's window table functions? */
static bool
wp_function_kind(Oid funcid, WinKind *kind)
{
	char	   *nsp = get_namespace_name(get_func_namespace(funcid));
	char	   *name;
	int			nargs;

	if (nsp == NULL || strcmp(nsp, "asset_stream") != 0)
		return false;
	name = get_func_name(funcid);
	nargs = get_func_nargs(funcid);
	if (strcmp(name, "tumble") == 0 && nargs == 4)
		*kind = WIN_TUMBLE;
	else if (strcmp(name, "hop") == 0 && nargs == 5)
		*kind = WIN_HOP;
	else if (strcmp(name, "cumulate") == 0 && nargs == 5)
		*kind = WIN_CUMULATE;
	else if (strcmp(name, "session") == 0 && nargs == 4)
		*kind = WIN_SESSION;
	else
		return false;
	return true;
}

/* A non-NULL text constant, or NULL. */
static char *
wp_const_text(Node *arg)
{
	Const	   *c = (Const *) arg;

	if (!IsA(arg, Const) || c->constisnull || c->consttype != TEXTOID)
		return NULL;
	return TextDatumGetCString(c->constvalue);
}

/*
 * The input must stand inside "SELECT * FROM (...)": one SELECT (or
 * VALUES, or set operation), without a data-modifying WITH.  A syntax
 * error is left to the function to report.
 */
static bool
wp_input_is_plain_select(const char *input)
{
	List	   *raw;
	SelectStmt *stmt;
	MemoryContext cxt = CurrentMemoryContext;
	volatile bool ok = false;

	PG_TRY();
	{
		raw = raw_parser(input, RAW_PARSE_DEFAULT);
		if (list_length(raw) == 1 &&
			IsA(((RawStmt *) linitial(raw))->stmt, SelectStmt))
		{
			ListCell   *lc;

			stmt = (SelectStmt *) ((RawStmt *) linitial(raw))->stmt;
			ok = stmt->intoClause == NULL;
			if (ok && stmt->withClause)
				foreach(lc, stmt->withClause->ctes)
					if (!IsA(((CommonTableExpr *) lfirst(lc))->ctequery, SelectStmt))
						ok = false;
		}
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		/*
		 * A syntax error is left to the function to report; the raw parser
		 * has nothing to undo.  Anything else (out of memory, stack depth)
		 * goes on up.
		 */
		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		if (edata->sqlerrcode != ERRCODE_SYNTAX_ERROR)
			PG_RE_THROW();
		FlushErrorState();
		FreeErrorData(edata);
		ok = false;
	}
	PG_END_TRY();
	return ok;
}

char *
wp_sorted_query(const char *input, const char *order)
{
	List	   *raw = raw_parser(input, RAW_PARSE_DEFAULT);
	RawStmt    *rs;
	StringInfoData sql;

	if (list_length(raw) != 1)
		elog(ERROR, "window pushdown: input is not one statement");
	rs = linitial_node(RawStmt, raw);
	initStringInfo(&sql);
	appendStringInfoString(&sql, "SELECT * FROM (\n");
	if (rs->stmt_len > 0)
		appendBinaryStringInfo(&sql, input + rs->stmt_location, rs->stmt_len);
	else
		appendStringInfoString(&sql, input + rs->stmt_location);
	appendStringInfo(&sql, "\n) AS asset_stream_input ORDER BY %s", order);
	return sql.data;
}

/* 1-based position of the only column called name, or 0. */
static int
wp_position(TupleDesc desc, const char *name)
{
	int			found = 0;

	for (int i = 0; i < desc->natts; i++)
	{
		if (strcmp(NameStr(TupleDescAttr(desc, i)->attname), name) != 0)
			continue;
		if (found)
			return 0;
		found = i + 1;
	}
	return found;
}

/* Does the plan sort all its rows (a full Sort under projections)? */
static bool
wp_plan_sorts(Plan *plan)
{
	while (plan != NULL)
	{
		if (IsA(plan, Sort))
			return true;
		if (IsA(plan, Result))
			plan = plan->lefttree;
		else if (IsA(plan, SubqueryScan))
			plan = ((SubqueryScan *) plan)->subplan;
		else
			return false;
	}
	return false;
}

/*
 * The input's row description, or NULL if it returns no rows; looked up
 * once per query (copied into the planner's context).  The outer plan then
 * depends on the input's tables, so creating or dropping an index on them
 * replans a prepared statement.  An input that does not parse or plan (an
 * unknown table) fails here, while the outer query is planned, with the
 * message the function would give.
 */
static TupleDesc
wp_input_desc(PlannerInfo *root, WpQuery *q)
{
	MemoryContext outer = CurrentMemoryContext;
	List	   *rels = NIL;
	SPIPlanPtr	plan;

	if (q->desc_done)
		return q->indesc;
	q->desc_done = true;
	if (SPI_connect() != SPI_OK_CONNECT)
		return NULL;
	plan = SPI_prepare(q->input, 0, NULL);
	if (plan != NULL && SPI_is_cursor_plan(plan))
	{
		CachedPlanSource *src = (CachedPlanSource *) linitial(SPI_plan_get_plan_sources(plan));
		MemoryContext old = MemoryContextSwitchTo(outer);

		q->indesc = CreateTupleDescCopy(src->resultDesc);
		rels = list_copy(src->relationOids);
		MemoryContextSwitchTo(old);
	}
	SPI_finish();
	root->glob->relationOids = list_concat(root->glob->relationOids, rels);
	return q->indesc;
}

/*
 * Would the database have to sort the whole input?  The input is planned
 * with the ORDER BY the scan will add; with an index on (key, time), or
 * input that is already ordered, there is no Sort.  An input whose columns
 * do not fit is left to the function, which reports it.
 */
static bool
wp_input_needs_sort(PlannerInfo *root, WpQuery *q, const char *time_col)
{
	TupleDesc	desc = wp_input_desc(root, q);
	SPIPlanPtr	plan;
	bool		sorts = true;
	StringInfoData order;
	ListCell   *lc;
	int			pos;

	if (desc == NULL)
		return true;
	initStringInfo(&order);
	foreach(lc, q->inputkeys)
	{
		if ((pos = wp_position(desc, strVal(lfirst(lc)))) == 0)
			return true;
		appendStringInfo(&order, "%d, ", pos);
	}
	if ((pos = wp_position(desc, time_col)) == 0)
		return true;
	appendStringInfo(&order, "%d", pos);

	if (SPI_connect() != SPI_OK_CONNECT)
		return true;
	plan = SPI_prepare(wp_sorted_query(q->input, order.data), 0, NULL);
	if (plan != NULL)
	{
		CachedPlan *cplan = SPI_plan_get_cached_plan(plan);

		if (cplan != NULL && list_length(cplan->stmt_list) == 1)
			sorts = wp_plan_sorts(linitial_node(PlannedStmt, cplan->stmt_list)->planTree);
		if (cplan != NULL)
			ReleaseCachedPlan(cplan, NULL);
	}
	SPI_finish();
	return sorts;
}

static const char *
wp_colname(WpQuery *q, AttrNumber attno)
{
	return strVal(list_nth(q->rtfunc->funccolnames, attno - 1));
}

static int
wp_window_col(const char *name)
{
	for (int w = 0; w < 3; w++)
		if (strcmp(name, wp_window_cols[w]) == 0)
			return w;
	return -1;
}

static bool
wp_param_walker(Node *node, void *context)
{
	if (node == NULL)
		return false;
	if (IsA(node, Param))
		return true;
	return expression_tree_walker(node, wp_param_walker, context);
}

static bool
wp_contains_param(Node *node)
{
	return wp_param_walker(node, NULL);
}

/*
 * Collect the aggregates of an expression that is not a grouping column;
 * false if one cannot be pushed down.
 */
static bool
wp_collect(WpQuery *q, Node *node)
{
	List	   *items;
	ListCell   *lc;

	if (node == NULL)
		return true;
	if (contain_subplans(node))
		return false;
	items = pull_var_clause(node, PVC_INCLUDE_AGGREGATES | PVC_RECURSE_PLACEHOLDERS);
	foreach(lc, items)
	{
		Node	   *item = lfirst(lc);
		Aggref	   *agg;
		List	   *vars;
		ListCell   *vc;

		if (IsA(item, Var))
		{
			q->othervars = lappend(q->othervars, item);
			continue;
		}
		if (!IsA(item, Aggref))
			return false;
		agg = (Aggref *) item;
		if (agg->aggkind != AGGKIND_NORMAL || agg->aggdistinct != NIL ||
			agg->aggorder != NIL || agg->agglevelsup != 0 ||
			agg->aggsplit != AGGSPLIT_SIMPLE ||
			list_length(agg->args) > WC_MAX_AGG_ARGS)
			return false;
		/*
		 * Arguments and FILTER read input columns of this row only: no
		 * parameters (the scan evaluates them without the executor's
		 * parameter values) and no window columns.
		 */
		if (wp_contains_param((Node *) agg->args) ||
			wp_contains_param((Node *) agg->aggfilter))
			return false;
		vars = pull_var_clause((Node *) list_make2(agg->args, agg->aggfilter),
							   PVC_RECURSE_PLACEHOLDERS);
		foreach(vc, vars)
		{
			Var		   *v = (Var *) lfirst(vc);

			if (!IsA(v, Var) || v->varno != q->relid || v->varlevelsup != 0 ||
				v->varattno <= 0 || wp_window_col(wp_colname(q, v->varattno)) >= 0)
				return false;
		}
		if (!list_member(q->aggrefs, agg))
			q->aggrefs = lappend(q->aggrefs, agg);
	}
	return true;
}

/* Has the type the hash and equality functions session() needs? */
static bool
wp_type_hashable(Oid type)
{
	TypeCacheEntry *tc = lookup_type_cache(type, TYPECACHE_HASH_PROC | TYPECACHE_EQ_OPR);

	return OidIsValid(tc->hash_proc) && OidIsValid(tc->eq_opr);
}

/* Classify one grouping column; false if it rules the pushdown out. */
static bool
wp_group_column(WpQuery *q, Expr *expr, SortGroupClause *sgc)
{
	Var		   *var = (Var *) expr;
	const char *name;
	int			w;

	if (!IsA(expr, Var) || var->varno != q->relid || var->varlevelsup != 0 ||
		var->varattno <= 0)
		return false;
	if (list_member(q->keyvars, var))
		return true;
	name = wp_colname(q, var->varattno);
	w = wp_window_col(name);
	if (w >= 0)
		q->window_col[w] = true;
	else
	{
		if (!OidIsValid(sgc->sortop) || !OidIsValid(sgc->eqop))
			return false;
		if (OidIsValid(var->varcollid) && !get_collation_isdeterministic(var->varcollid))
			return false;
		/* session() hashes its partition keys: one it refuses stays its error */
		if (q->kind == WIN_SESSION && !wp_type_hashable(var->vartype))
			return false;
		q->eqops = lappend_oid(q->eqops, sgc->eqop);
		q->inputkeys = lappend(q->inputkeys, makeString(pstrdup(name)));
	}
	q->keyvars = lappend(q->keyvars, var);
	return true;
}

/* Is the function call one the pushdown can stand in for? */
static bool
wp_check_function(WpQuery *q, PlannerInfo *root, RelOptInfo *input_rel,
				  const char **time_col, const char **part_col)
{
	RangeTblEntry *rte;
	FuncExpr   *fexpr;
	char	   *input;

	if (input_rel->reloptkind != RELOPT_BASEREL ||
		input_rel->rtekind != RTE_FUNCTION || input_rel->baserestrictinfo != NIL)
		return false;
	rte = planner_rt_fetch(input_rel->relid, root);
	if (list_length(rte->functions) != 1 || rte->funcordinality)
		return false;
	q->relid = input_rel->relid;
	q->rtfunc = linitial_node(RangeTblFunction, rte->functions);
	if (!IsA(q->rtfunc->funcexpr, FuncExpr) || q->rtfunc->funccolnames == NIL)
		return false;
	fexpr = (FuncExpr *) q->rtfunc->funcexpr;
	if (!wp_function_kind(fexpr->funcid, &q->kind) || fexpr->funcretset == false)
		return false;

	input = wp_const_text(linitial(fexpr->args));
	*time_col = wp_const_text(lsecond(fexpr->args));
	if (input == NULL || *time_col == NULL || !wp_input_is_plain_select(input))
		return false;
	q->input = input;
	*part_col = NULL;
	if (q->kind == WIN_SESSION)
	{
		Node	   *p = lfourth(fexpr->args);

		if (!IsA(p, Const))
			return false;
		if (!((Const *) p)->constisnull &&
			(*part_col = wp_const_text(p)) == NULL)
			return false;
	}
	return true;
}

/*
 * Session: are the input grouping columns exactly the partition_by columns
 * (in any order)?  Grouping columns bind to input columns by their exact
 * names, partition_by names exactly or else as identifiers
 * (srf_find_column_arg).  Equal names bind alike; otherwise the input is
 * prepared to see which columns the names bind to.
 */
static bool
wp_keys_are_partition(PlannerInfo *root, WpQuery *q, const char *part_col)
{
	List	   *inputkeys = q->inputkeys;
	List	   *names;
	ListCell   *lc;
	bool		ok;
	bool		all_exact = true;
	TupleDesc	desc;
	Bitmapset  *parts = NULL;
	Bitmapset  *keys = NULL;

	if (part_col == NULL)
		return inputkeys == NIL;
	if (list_length(inputkeys) == 1 && strcmp(strVal(linitial(inputkeys)), part_col) == 0)
		return true;
	names = srf_split_columns(part_col, "session", "partition_by", &ok);
	if (!ok || (list_length(names) != list_length(inputkeys) && !strchr(part_col, ',')))
		return false;
	foreach(lc, names)
	{
		ListCell   *kc;
		int			matches = 0;

		foreach(kc, inputkeys)
			matches += strcmp(strVal(lfirst(kc)), (const char *) lfirst(lc)) == 0;
		all_exact &= (matches == 1);
	}
	/* a list could also be the name of one column: session() tries that first */
	if (all_exact && list_length(names) == 1)
		return true;

	if ((desc = wp_input_desc(root, q)) == NULL)
		return false;
	if (srf_find_column_arg(desc, part_col, "session") >= 0)
		names = list_make1(pstrdup(part_col));
	foreach(lc, inputkeys)
	{
		int			att = srf_find_column(desc, strVal(lfirst(lc)), "session");

		if (att < 0)
			return false;
		keys = bms_add_member(keys, att);
	}
	foreach(lc, names)
	{
		int			att = srf_find_column_arg(desc, (const char *) lfirst(lc), "session");

		if (att < 0 || bms_is_member(att, parts))
			return false;
		parts = bms_add_member(parts, att);
	}
	return bms_equal(keys, parts);
}

/* Do the grouping columns identify each window, and (session) its key? */
static bool
wp_check_grouping(PlannerInfo *root, WpQuery *q, const char *time_col, const char *part_col)
{
	ListCell   *lc;

	switch (q->kind)
	{
		case WIN_TUMBLE:
		case WIN_HOP:
			if (!q->window_col[0] && !q->window_col[1] && !q->window_col[2])
				return false;
			break;
		case WIN_CUMULATE:
			if (!q->window_col[1] && !q->window_col[2])
				return false;
			break;
		case WIN_SESSION:
			if (!q->window_col[0] && !q->window_col[1] && !q->window_col[2])
				return false;
			if (!wp_keys_are_partition(root, q, part_col))
				return false;
			break;
	}
	/* a Var outside an aggregate must be a grouping column */
	foreach(lc, q->othervars)
		if (!list_member(q->keyvars, lfirst(lc)))
			return false;
	return true;
}

static void
wp_consider(PlannerInfo *root, RelOptInfo *input_rel, RelOptInfo *grouped_rel,
			GroupPathExtraData *extra)
{
	Query	   *parse = root->parse;
	PathTarget *target = grouped_rel->reltarget;
	WpQuery		q;
	const char *time_col;
	const char *part_col;
	CustomPath *cp;
	ListCell   *lc;
	int			i;
	Cost		cost;

	if (parse->groupingSets || parse->groupClause == NIL || parse->hasTargetSRFs)
		return;
	memset(&q, 0, sizeof(q));
	if (!wp_check_function(&q, root, input_rel, &time_col, &part_col))
		return;

	i = 0;
	foreach(lc, target->exprs)
	{
		Expr	   *expr = (Expr *) lfirst(lc);
		Index		sgref = get_pathtarget_sortgroupref(target, i);
		SortGroupClause *sgc;

		i++;
		sgc = sgref ? get_sortgroupref_clause_noerr(sgref, parse->groupClause) : NULL;
		if (sgc != NULL ? !wp_group_column(&q, expr, sgc) : !wp_collect(&q, (Node *) expr))
			return;
	}
	if (!wp_collect(&q, extra->havingQual))
		return;
	if (!wp_check_grouping(root, &q, time_col, part_col))
		return;

	/*
	 * Where the database must sort the whole input, tumble() and session()
	 * are faster as they are (they do not need the order); hop() and
	 * cumulate() still gain from not materialising several rows per read.
	 */
	if (wp_mode == WP_AUTO && (q.kind == WIN_TUMBLE || q.kind == WIN_SESSION) &&
		wp_input_needs_sort(root, &q, time_col))
		return;

	cp = makeNode(CustomPath);
	cp->path.pathtype = T_CustomScan;
	cp->path.parent = grouped_rel;
	cp->path.pathtarget = target;
	cp->path.param_info = NULL;
	cp->path.parallel_aware = false;
	cp->path.parallel_safe = false;
	cp->path.parallel_workers = 0;
	cp->path.rows = grouped_rel->pathlist ?
		((Path *) linitial(grouped_rel->pathlist))->rows : input_rel->rows;
	/* below the function scan it replaces: it wins whenever it applies */
	cost = input_rel->cheapest_total_path->total_cost / 2;
	cp->path.startup_cost = cost;
	cp->path.total_cost = cost;
	cp->path.pathkeys = NIL;
	cp->flags = 0;
	cp->custom_paths = NIL;
	cp->custom_private = list_make5(makeInteger(q.kind), q.rtfunc, q.keyvars,
									q.eqops, q.aggrefs);
	cp->custom_private = lappend(cp->custom_private, extra->havingQual);
	cp->methods = &wp_path_methods;
	add_path(grouped_rel, (Path *) cp);
}

static void
wp_upper_paths(PlannerInfo *root, UpperRelationKind stage, RelOptInfo *input_rel,
			   RelOptInfo *output_rel, void *extra)
{
	if (prev_upper_paths_hook)
		prev_upper_paths_hook(root, stage, input_rel, output_rel, extra);
	if (stage == UPPERREL_GROUP_AGG && wp_mode != WP_OFF &&
		output_rel->reloptkind == RELOPT_UPPER_REL)
		wp_consider(root, input_rel, output_rel, (GroupPathExtraData *) extra);
}

/*
 * The plan: custom_scan_tlist holds the grouping columns, then the
 * aggregates; the target list and HAVING refer to them (set_plan_references
 * turns them into INDEX_VAR references).
 */
static Plan *
wp_plan_path(PlannerInfo *root, RelOptInfo *rel, CustomPath *best_path,
			 List *tlist, List *clauses, List *custom_plans)
{
	CustomScan *cs = makeNode(CustomScan);
	List	   *priv = best_path->custom_private;
	WinKind		kind = (WinKind) intVal(linitial(priv));
	RangeTblFunction *rtfunc = lsecond(priv);
	List	   *keyvars = lthird(priv);
	List	   *eqops = lfourth(priv);
	List	   *aggrefs = list_nth(priv, 4);
	Node	   *having = list_nth(priv, 5);
	List	   *scan_tlist = NIL;
	AttrNumber	resno = 1;
	ListCell   *lc;

	foreach(lc, keyvars)
		scan_tlist = lappend(scan_tlist,
							 makeTargetEntry(copyObject(lfirst(lc)), resno++, NULL, false));
	foreach(lc, aggrefs)
		scan_tlist = lappend(scan_tlist,
							 makeTargetEntry(copyObject(lfirst(lc)), resno++, NULL, false));

	cs->scan.plan.targetlist = tlist;
	cs->scan.plan.qual = (List *) copyObject(having);
	cs->scan.scanrelid = 0;
	cs->flags = best_path->flags;
	cs->custom_plans = NIL;
	cs->custom_exprs = copyObject(((FuncExpr *) rtfunc->funcexpr)->args);
	cs->custom_private = list_make5(makeInteger(kind),
									copyObject(rtfunc->funccolnames),
									list_copy(rtfunc->funccoltypes),
									list_copy(eqops),
									makeInteger(list_length(keyvars)));
	cs->custom_private = lappend(cs->custom_private,
								 makeInteger(!bms_is_empty(root->outer_params) ? 1 : 0));
	cs->custom_scan_tlist = scan_tlist;
	cs->methods = &wp_scan_methods;
	return &cs->scan.plan;
}

/*
 * Planner support function of the window table functions: it answers no
 * request, but the planner calling it loads this library (and so installs
 * the hook above) before the grouping step of the query's first plan.
 */
Datum
window_support(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(NULL);
}

void
wp_install(void)
{
	DefineCustomEnumVariable("asset_stream.window_pushdown",
							 "Runs GROUP BY over a window table function as one window aggregation.",
							 "auto: tumble and session only when their input comes in (key, time) order "
							 "without a full sort; on: whenever it applies; off: never.",
							 &wp_mode,
							 WP_AUTO, wp_mode_options,
							 PGC_USERSET, 0,
							 NULL, NULL, NULL);
	prev_upper_paths_hook = create_upper_paths_hook;
	create_upper_paths_hook = wp_upper_paths;
	RegisterCustomScanMethods(&wp_scan_methods);
}
