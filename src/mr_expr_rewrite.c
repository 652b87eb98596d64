/*-------------------------------------------------------------------------
 *
 * mr_expr_rewrite.c
 *	  The rewrite of an analyzed MATCH_RECOGNIZE expression (mr_expr.c):
 *	  every navigation, pattern-variable reference, MATCH_RECOGNIZE
 *	  function and aggregate becomes a PARAM_EXTERN Param whose MrParam
 *	  (mr_expr_int.h) says what to compute, and whose own arguments are
 *	  compiled here; the rules of each are checked on the way.
 *
 * Meaning of each form (SQL:2016 as Trino implements it, see
 * docs/match_recognize.md "Expressions"):
 *	- col: the current row; FINAL col: the match's last row;
 *	- X.col, CLASSIFIER(X): RUNNING (or FINAL) LAST(X.col), except in the
 *	  DEFINE of X (or of a member of union X), where it is the current row;
 *	- FIRST / LAST(e, n): a logical navigation among the rows of e's one
 *	  variable; PREV / NEXT(e, n): a physical move from LAST(e) or from the
 *	  FIRST / LAST written as their whole argument;
 *	- an aggregate: over the rows of its arguments' one variable.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_aggregate.h"
#include "catalog/pg_collation.h"
#include "catalog/pg_type.h"
#include "executor/execExpr.h"
#include "executor/executor.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "optimizer/optimizer.h"
#include "utils/lsyscache.h"

#include "mr_expr_int.h"

/* State of the mutator over one expression (or one argument). */
typedef struct MrMutate
{
	MrCompile  *cx;
	MrScan	   *sc;
	int			define_var;		/* DEFINE of this primary variable, or -1 */
	bool		in_nav;			/* inside a navigation's argument */
	bool		in_agg;			/* inside an aggregate's arguments */
	int			refvar;			/* the variable the argument refers to */
	bool		history;		/* DEFINE depends on more than its row */
} MrMutate;

static Node *mr_mutate(Node *node, MrMutate *mt);

static void
mr_ref_error(MrMutate *mt, int var, int location)
{
	const char *a = mt->refvar == MR_UNIVERSAL ? "all rows (an unqualified column)" :
		mt->cx->clause->vars[mt->refvar].label;
	const char *b = var == MR_UNIVERSAL ? "all rows (an unqualified column)" :
		mt->cx->clause->vars[var].label;

	ereport(ERROR,
			(errcode(ERRCODE_SYNTAX_ERROR),
			 errmsg("the argument of a navigation or an aggregate must refer to one pattern variable"),
			 errdetail("It refers to %s and to %s.", a, b),
			 parser_errposition(mt->sc->pstate, location)));
}

/* ------------------------------------------------------- Param building */

/* The parameter hook: every Param becomes a callback into mr_expr_nav.c. */
void
mr_param_compile(ParamListInfo params, Param *param, ExprState *state,
				 Datum *resv, bool *resnull)
{
	MrCompile  *cx = (MrCompile *) params->paramCompileArg;
	ExprEvalStep scratch;

	memset(&scratch, 0, sizeof(scratch));
	scratch.opcode = EEOP_PARAM_CALLBACK;
	scratch.resvalue = resv;
	scratch.resnull = resnull;
	scratch.d.cparam.paramfunc = mr_param_step;
	scratch.d.cparam.paramarg = list_nth(cx->paramlist, param->paramid - 1);
	scratch.d.cparam.paramid = param->paramid;
	scratch.d.cparam.paramtype = param->paramtype;
	ExprEvalPushStep(state, &scratch);
}

ExprState *
mr_compile_expr(MrCompile *cx, Expr *expr, bool *uses_scan)
{
	Expr	   *planned = expression_planner(expr);

	*uses_scan = contain_var_clause((Node *) planned);
	return ExecInitExprWithParams(planned, cx->params);
}

static MrParam *
mr_new_param(MrParamKind kind)
{
	MrParam    *p = palloc0(sizeof(MrParam));

	p->kind = kind;
	p->var = MR_UNIVERSAL;
	return p;
}

static Node *
mr_param_node(MrCompile *cx, MrParam *p, Oid type, int32 typmod, Oid collid)
{
	Param	   *param = makeNode(Param);

	p->owner = cx->e;
	get_typlenbyval(type, &p->typlen, &p->typbyval);
	cx->paramlist = lappend(cx->paramlist, p);
	param->paramkind = PARAM_EXTERN;
	param->paramid = list_length(cx->paramlist);
	param->paramtype = type;
	param->paramtypmod = typmod;
	param->paramcollid = collid;
	param->location = -1;
	return (Node *) param;
}

static Node *
mr_simple_param(MrCompile *cx, MrParamKind kind)
{
	switch (kind)
	{
		case MRP_CLASSIFIER:
		case MRP_MATCH_STATUS:
			return mr_param_node(cx, mr_new_param(kind), TEXTOID, -1, DEFAULT_COLLATION_OID);
		case MRP_MATCH_NUMBER:
			return mr_param_node(cx, mr_new_param(kind), INT8OID, -1, InvalidOid);
		case MRP_MATCH_DEADLINE:
			return mr_param_node(cx, mr_new_param(kind), TIMESTAMPTZOID, -1, InvalidOid);
		default:
			elog(ERROR, "unexpected MATCH_RECOGNIZE parameter kind %d", (int) kind);
	}
	return NULL;				/* keep compiler quiet */
}

/* ------------------------------------------------------------ mutator */

static MrCallInfo *
mr_call_of(MrMutate *mt, Node *node)
{
	FuncExpr   *fe = (FuncExpr *) node;
	ListCell   *lc;

	if (node == NULL || !IsA(node, FuncExpr))
		return NULL;
	foreach(lc, mt->sc->calls)
	{
		MrCallInfo *ci = lfirst(lc);

		if (ci->location == fe->location &&
			get_func_namespace(fe->funcid) == mt->cx->nsp)
			return ci;
	}
	return NULL;
}

/* RUNNING / FINAL written before the name at location: -1 none, 0, 1. */
static int
mr_take_sem(MrMutate *mt, int location)
{
	ListCell   *lc;

	foreach(lc, mt->sc->sems)
	{
		MrSemInfo  *si = lfirst(lc);

		if (si->location == location)
		{
			si->used = true;
			return si->final ? 1 : 0;
		}
	}
	return -1;
}

/* Does variable x cover the row tried as primary variable v? */
static bool
mr_covers(const MrClause *clause, int x, int v)
{
	if (x == v)
		return true;
	if (v < 0 || x < clause->nprimary)
		return false;
	for (int i = 0; i < clause->vars[x].nmembers; i++)
		if (clause->vars[x].members[i] == v)
			return true;
	return false;
}

/* A reference to var inside a navigation or aggregate argument. */
static void
mr_note_ref(MrMutate *mt, int var, int location)
{
	if (mt->refvar == MR_NOREF)
		mt->refvar = var;
	else if (mt->refvar != var)
		mr_ref_error(mt, var, location);
}

/*
 * A navigation Param: the base row (loffset-th of var from the first or
 * last), then poffset rows physically; arg evaluated there.
 */
static Node *
mr_nav_param(MrMutate *mt, MrNavKind logical, int64 loffset, MrNavKind physical,
			 int64 poffset, int var, bool final, Node *arg, Oid type, int32 typmod,
			 Oid collid)
{
	MrCompile  *cx = mt->cx;
	MrExprs    *e = cx->e;
	MrParam    *p = mr_new_param(MRP_NAV);
	bool		current_row;

	p->logical = logical;
	p->loffset = loffset;
	p->physical = physical;
	p->poffset = poffset;
	p->var = var;
	p->final = final;
	p->argexpr = (Expr *) arg;
	p->arg = mr_compile_expr(cx, p->argexpr, &p->arg_scan);
	if (IsA(arg, Var) && ((Var *) arg)->varattno > 0)
		p->arg_attno = ((Var *) arg)->varattno;

	/* in a DEFINE, LAST(x, 0) of its own variable is the current row */
	current_row = logical == MR_NAV_LAST && loffset == 0 &&
		(var == MR_UNIVERSAL || mr_covers(cx->clause, var, mt->define_var));
	if (!current_row)
		mt->history = true;
	if (physical == MR_NAV_PREV)
		e->lookbehind = Max(e->lookbehind, poffset);
	else if (physical == MR_NAV_NEXT && mt->define_var >= 0)
		e->define_lookahead = Max(e->define_lookahead, poffset);
	else if (physical == MR_NAV_NEXT)
		e->measure_lookahead = Max(e->measure_lookahead, poffset);
	return mr_param_node(cx, p, type, typmod, collid);
}

/*
 * A row reference outside navigations: X.col (varno 2 + X), col (varno
 * 1) or CLASSIFIER([X]) (value = the classifier Param).  It means
 * LAST(ref, 0) with the RUNNING / FINAL written before it; a bare column
 * without FINAL, and X.col in the DEFINE of X, are the current row.
 */
static Node *
mr_row_ref(MrMutate *mt, int var, int location, Node *value)
{
	int			sem = mr_take_sem(mt, location);

	if (var == MR_UNIVERSAL ? sem != 1 :
		(mt->define_var >= 0 && mr_covers(mt->cx->clause, var, mt->define_var)))
		return value;
	return mr_nav_param(mt, MR_NAV_LAST, 0, MR_NAV_NONE, 0, var, sem == 1, value,
						exprType(value), exprTypmod(value), exprCollation(value));
}

static Node *
mr_mutate_var(Var *v, MrMutate *mt)
{
	int			var = v->varno == 1 ? MR_UNIVERSAL : (int) v->varno - 2;
	Var		   *copy = copyObject(v);

	copy->varno = copy->varnosyn = 1;
	if (mt->in_nav || mt->in_agg)
	{
		mr_note_ref(mt, var, v->location);
		return (Node *) copy;
	}
	return mr_row_ref(mt, var, v->location, (Node *) copy);
}

/*
 * X.* outside navigations and aggregates (mr_whole_row: a ROW() of X's
 * columns, all at X's location): one navigation to X's last row rather
 * than one per column.  NULL if row is not such a row.
 */
static Node *
mr_mutate_row(RowExpr *row, MrMutate *mt)
{
	int			var = MR_NOREF;
	RowExpr    *copy;
	ListCell   *lc;

	if (mt->in_nav || mt->in_agg || row->args == NIL)
		return NULL;
	foreach(lc, row->args)
	{
		Var		   *v = (Var *) lfirst(lc);

		if (!IsA(v, Var) || v->varno < 2 || v->location != row->location ||
			(var != MR_NOREF && var != (int) v->varno - 2))
			return NULL;
		var = (int) v->varno - 2;
	}
	copy = copyObject(row);
	foreach(lc, copy->args)
		((Var *) lfirst(lc))->varno = ((Var *) lfirst(lc))->varnosyn = 1;
	return mr_row_ref(mt, var, row->location, (Node *) copy);
}

static Node *
mr_mutate_classifier(MrMutate *mt, MrCallInfo *ci)
{
	Node	   *value = mr_simple_param(mt->cx, MRP_CLASSIFIER);

	mt->history = true;
	if (mt->in_nav || mt->in_agg)
	{
		mr_note_ref(mt, ci->classifier_var, ci->location);
		return value;
	}
	return mr_row_ref(mt, ci->classifier_var, ci->location, value);
}

static Node *
mr_mutate_nav(FuncExpr *fe, MrCallInfo *ci, MrMutate *mt)
{
	const char *fname = ci->nav == MR_NAV_PREV ? "PREV" : ci->nav == MR_NAV_NEXT ? "NEXT" :
		ci->nav == MR_NAV_FIRST ? "FIRST" : "LAST";
	Node	   *arg = linitial(fe->args);
	MrCallInfo *inner = mr_call_of(mt, arg);
	int			sem = mr_take_sem(mt, fe->location);
	MrNavKind	logical = MR_NAV_LAST;
	int64		loffset = 0;
	MrNavKind	physical = MR_NAV_NONE;
	MrMutate	sub = *mt;
	Node	   *newarg;

	if (mt->in_agg)
		ereport(ERROR,
				(errcode(ERRCODE_SYNTAX_ERROR),
				 errmsg("%s cannot be used inside an aggregate", fname),
				 parser_errposition(mt->sc->pstate, fe->location)));
	if (mt->in_nav)
		ereport(ERROR,
				(errcode(ERRCODE_SYNTAX_ERROR),
				 errmsg("%s cannot be nested inside another navigation", fname),
				 errhint("Only FIRST or LAST may be nested, as the whole argument of PREV or NEXT: PREV(LAST(A.price, 1), 2)."),
				 parser_errposition(mt->sc->pstate, fe->location)));
	if (ci->nav == MR_NAV_PREV || ci->nav == MR_NAV_NEXT)
	{
		physical = ci->nav;
		if (inner && inner->kind == MRP_NAV &&
			(inner->nav == MR_NAV_FIRST || inner->nav == MR_NAV_LAST))
		{
			int			isem = mr_take_sem(mt, inner->location);

			logical = inner->nav;
			loffset = inner->offset;
			if (isem >= 0)
				sem = isem;
			arg = linitial(((FuncExpr *) arg)->args);
		}
	}
	else
	{
		logical = ci->nav;
		loffset = ci->offset;
	}

	sub.in_nav = true;
	sub.refvar = MR_NOREF;
	newarg = mr_mutate(arg, &sub);
	if (sub.history)
		mt->history = true;
	return mr_nav_param(mt, logical, loffset, physical,
						physical == MR_NAV_NONE ? 0 : ci->offset,
						sub.refvar == MR_NOREF ? MR_UNIVERSAL : sub.refvar,
						sem == 1, newarg, fe->funcresulttype, exprTypmod(arg),
						fe->funccollid);
}

/*
 * An aggregate over the rows of the variable its arguments name.  The
 * aggregate is resolved with the window core's code (WcAggDef), which
 * also checks EXECUTE permission.
 */
static Node *
mr_mutate_agg(Aggref *ag, MrMutate *mt)
{
	MrCompile  *cx = mt->cx;
	char	   *name = get_func_name(ag->aggfnoid);
	MrParam    *p = mr_new_param(MRP_AGG);
	MrMutate	sub = *mt;
	int			sem = mr_take_sem(mt, ag->location);
	ListCell   *lc;

	if (mt->in_nav)
		ereport(ERROR,
				(errcode(ERRCODE_SYNTAX_ERROR),
				 errmsg("aggregate %s cannot be used inside a navigation", name),
				 parser_errposition(mt->sc->pstate, ag->location)));
	if (ag->aggkind != AGGKIND_NORMAL)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("ordered-set aggregate %s is not supported in MATCH_RECOGNIZE", name),
				 parser_errposition(mt->sc->pstate, ag->location)));
	if (ag->aggdistinct != NIL || ag->aggorder != NIL || ag->aggfilter != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("DISTINCT, ORDER BY and FILTER in aggregate %s are not supported in MATCH_RECOGNIZE",
						name),
				 errhint("Aggregates read the rows of the match in order."),
				 parser_errposition(mt->sc->pstate, ag->location)));

	sub.in_agg = true;
	sub.refvar = MR_NOREF;
	p->nargs = list_length(ag->args);
	p->argexprs = palloc0(sizeof(Expr *) * Max(p->nargs, 1));
	p->args = palloc0(sizeof(ExprState *) * Max(p->nargs, 1));
	foreach(lc, ag->args)
	{
		int			i = foreach_current_index(lc);
		bool		scan;

		p->argexprs[i] = (Expr *) mr_mutate((Node *) lfirst_node(TargetEntry, lc)->expr, &sub);
		p->args[i] = mr_compile_expr(cx, p->argexprs[i], &scan);
		p->args_scan |= scan;
	}
	p->var = sub.refvar == MR_NOREF ? MR_UNIVERSAL : sub.refvar;
	p->final = sem == 1;
	p->agg = wc_build_aggdef(ag, name);
	mt->history = true;
	return mr_param_node(cx, p, ag->aggtype, -1, ag->aggcollid);
}

static Node *
mr_mutate_call(FuncExpr *fe, MrCallInfo *ci, MrMutate *mt)
{
	switch (ci->kind)
	{
		case MRP_NAV:
			return mr_mutate_nav(fe, ci, mt);
		case MRP_CLASSIFIER:
			return mr_mutate_classifier(mt, ci);
		case MRP_MATCH_STATUS:
		case MRP_MATCH_DEADLINE:
			if (mt->define_var >= 0)
				ereport(ERROR,
						(errcode(ERRCODE_SYNTAX_ERROR),
						 errmsg("%s can only be used in MEASURES",
								ci->kind == MRP_MATCH_STATUS ? "MATCH_STATUS" : "MATCH_DEADLINE"),
						 parser_errposition(mt->sc->pstate, fe->location)));
			return mr_simple_param(mt->cx, ci->kind);
		default:
			mt->history = true;
			return mr_simple_param(mt->cx, ci->kind);
	}
}

static Node *
mr_mutate(Node *node, MrMutate *mt)
{
	MrCallInfo *ci;
	Node	   *result;

	if (node == NULL)
		return NULL;
	check_stack_depth();
	if (IsA(node, Var))
		return mr_mutate_var((Var *) node, mt);
	if (IsA(node, Aggref))
		return mr_mutate_agg((Aggref *) node, mt);
	if (IsA(node, RowExpr) && (result = mr_mutate_row((RowExpr *) node, mt)) != NULL)
		return result;
	if ((ci = mr_call_of(mt, node)) != NULL)
		return mr_mutate_call((FuncExpr *) node, ci, mt);
	if (IsA(node, GroupingFunc))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("GROUPING is not supported in MATCH_RECOGNIZE expressions"),
				 parser_errposition(mt->sc->pstate, exprLocation(node))));
	return expression_tree_mutator(node, mr_mutate, (void *) mt);
}


/*
 * Rewrite the analyzed expr of the DEFINE of define_var (-1: a measure);
 * sets *history_free for a DEFINE that looks only at its row and at
 * physical PREV / NEXT of it.
 */
Node *
mr_rewrite(MrCompile *cx, MrScan *sc, Node *expr, int define_var, bool *history_free)
{
	MrMutate	mt;
	ListCell   *lc;

	memset(&mt, 0, sizeof(mt));
	mt.cx = cx;
	mt.sc = sc;
	mt.define_var = define_var;
	mt.refvar = MR_NOREF;
	expr = mr_mutate(expr, &mt);
	foreach(lc, sc->sems)
	{
		MrSemInfo  *si = lfirst(lc);

		if (!si->used)
			ereport(ERROR,
					(errcode(ERRCODE_SYNTAX_ERROR),
					 errmsg("RUNNING and FINAL apply only to a navigation, an aggregate or a row reference"),
					 parser_errposition(sc->pstate, si->location)));
	}
	*history_free = !mt.history;
	return expr;
}
