/*-------------------------------------------------------------------------
 *
 * mr_expr.c
 *	  Compile MATCH_RECOGNIZE DEFINE conditions and MEASURES (mr_expr.h)
 *	  with PostgreSQL's parser, analyzer and expression compiler.
 *
 * Each expression goes through:
 *	1. the token pass (mr_expr_scan.c): RUNNING / FINAL removed and
 *	   recorded by location;
 *	2. raw_parser("SELECT <text>"), checked to be one plain expression;
 *	3. the raw-tree pass (mr_expr_scan.c): navigation and MATCH_RECOGNIZE
 *	   functions redirected to placeholders, offsets resolved;
 *	4. transformExpr, with a column-reference hook that resolves `col` to
 *	   the input's columns (a Var of varno 1) and `X.col` / `X.*` to Vars
 *	   of varno 2 + X (X a pattern variable);
 *	5. the rewrite (mr_expr_rewrite.c): every navigation, pattern-variable
 *	   reference, MATCH_RECOGNIZE function and aggregate becomes a Param
 *	   (mr_expr_int.h), the rules of each are checked, their own arguments
 *	   compiled;
 *	6. expression_planner and ExecInitExprWithParams, whose parameter
 *	   hook compiles each Param to a callback step into mr_expr_nav.c.
 *
 * Errors raised while compiling point into the clause text (internal
 * query and position) and name the DEFINE or measure in their context.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/sysattr.h"

#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "executor/executor.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "optimizer/optimizer.h"
#include "parser/parse_coerce.h"
#include "parser/parse_collate.h"
#include "parser/parse_expr.h"
#include "parser/parse_node.h"
#include "parser/parser.h"
#include "rewrite/rewriteManip.h"
#include "utils/builtins.h"
#include "utils/formatting.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "asset_stream.h"
#include "mr_expr_int.h"
#include "window_aggs.h"

/* Error context while compiling one expression. */
typedef struct MrCompileErr
{
	const char *what;
	const MrClause *clause;
	int			start;			/* the expression's byte offset in clause */
} MrCompileErr;

#define MR_SQL_PREFIX "SELECT "

/* ------------------------------------------------------------- errors */

/*
 * A position reported by the parser counts characters of "SELECT <text>":
 * move it into the clause text, as PL/pgSQL does for its queries.
 */
static void
mr_compile_errcb(void *arg)
{
	MrCompileErr *ce = (MrCompileErr *) arg;
	int			pos = geterrposition();

	if (pos > 0)
	{
		errposition(0);
		internalerrposition(mr_char_position(ce->clause->text, ce->start) +
							pos - 1 - (int) strlen(MR_SQL_PREFIX));
		internalerrquery(ce->clause->text);
	}
	errcontext("%s", ce->what);
}

/* ---------------------------------------------------- column references */

static Node *
mr_column(MrCompile *cx, ParseState *pstate, const char *name, int varno, int location)
{
	TupleDesc	desc = cx->e->desc;
	int			found = -1;
	Form_pg_attribute att;
	Var		   *var;

	for (int i = 0; i < desc->natts; i++)
	{
		if (TupleDescAttr(desc, i)->attisdropped ||
			strcmp(NameStr(TupleDescAttr(desc, i)->attname), name) != 0)
			continue;
		if (found >= 0)
			ereport(ERROR,
					(errcode(ERRCODE_AMBIGUOUS_COLUMN),
					 errmsg("column reference \"%s\" is ambiguous", name),
					 errdetail("The input query has two columns of this name."),
					 parser_errposition(pstate, location)));
		found = i;
	}
	if (found < 0)
		return NULL;
	att = TupleDescAttr(desc, found);
	var = makeVar(varno, found + 1, att->atttypid, att->atttypmod, att->attcollation, 0);
	var->location = location;

	/*
	 * The analyzer resolves field selection from a Var of type record
	 * through the range table, which we do not have: hide such a Var.
	 */
	if (att->atttypid == RECORDOID)
		return (Node *) makeRelabelType((Expr *) var, RECORDOID, -1, InvalidOid,
										COERCE_IMPLICIT_CAST);
	return (Node *) var;
}

/* X.*: a row of X's columns (a ROW(), not a whole-row Var, see above) */
static Node *
mr_whole_row(MrCompile *cx, int varno, int location)
{
	TupleDesc	desc = cx->e->desc;
	RowExpr    *row = makeNode(RowExpr);

	for (int i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);
		Var		   *var;

		if (att->attisdropped)
			continue;
		var = makeVar(varno, i + 1, att->atttypid, att->atttypmod, att->attcollation, 0);
		var->location = location;
		row->args = lappend(row->args, var);
		row->colnames = lappend(row->colnames, makeString(pstrdup(NameStr(att->attname))));
	}
	row->row_typeid = RECORDOID;
	row->row_format = COERCE_IMPLICIT_CAST;
	row->location = location;
	return (Node *) row;
}

/* col: the input's column; X.col, X.*: pattern variable X's row. */
static Node *
mr_colref_hook(ParseState *pstate, ColumnRef *cref)
{
	MrCompile  *cx = (MrCompile *) pstate->p_ref_hook_state;
	Node	   *first = linitial(cref->fields);
	Node	   *second;
	Node	   *result;
	int			var;

	if (!IsA(first, String))
		return NULL;
	if (list_length(cref->fields) == 1)
		return mr_column(cx, pstate, strVal(first), 1, cref->location);
	var = mr_find_var(cx->clause, strVal(first));
	if (var < 0)
		return NULL;
	second = lsecond(cref->fields);
	if (list_length(cref->fields) > 2)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("a pattern variable reference has the form X.column or X.*"),
				 errhint("Select a field of a composite column with (X.column).field."),
				 parser_errposition(pstate, cref->location)));
	if (IsA(second, A_Star))
		return mr_whole_row(cx, 2 + var, cref->location);
	result = mr_column(cx, pstate, strVal(second), 2 + var, cref->location);
	if (result == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("column %s.%s does not exist", strVal(first), strVal(second)),
				 parser_errposition(pstate, cref->location)));
	return result;
}

/* ------------------------------------------------------ one expression */

/* raw_parser on "SELECT <text>"; the text must be one plain expression. */
static Node *
mr_parse_text(const char *sql)
{
	List	   *raw = raw_parser(sql, RAW_PARSE_DEFAULT);
	SelectStmt *sel = NULL;
	ResTarget  *rt = NULL;

	if (list_length(raw) == 1 && IsA(linitial_node(RawStmt, raw)->stmt, SelectStmt))
		sel = (SelectStmt *) linitial_node(RawStmt, raw)->stmt;
	if (sel != NULL && sel->op == SETOP_NONE && list_length(sel->targetList) == 1 &&
		!sel->fromClause && !sel->whereClause && !sel->groupClause &&
		!sel->havingClause && !sel->windowClause && !sel->valuesLists &&
		!sel->sortClause && !sel->limitOffset && !sel->limitCount &&
		!sel->lockingClause && !sel->withClause && !sel->intoClause &&
		!sel->distinctClause)
		rt = linitial_node(ResTarget, sel->targetList);
	if (rt == NULL || rt->name != NULL ||
		(IsA(rt->val, ColumnRef) && IsA(llast(((ColumnRef *) rt->val)->fields), A_Star)))
		ereport(ERROR,
				(errcode(ERRCODE_SYNTAX_ERROR),
				 errmsg("a MATCH_RECOGNIZE DEFINE condition or measure must be one expression")));
	return rt->val;
}

static void
mr_check_analyzed(ParseState *pstate, Node *expr)
{
	if (pstate->p_hasWindowFuncs)
		ereport(ERROR,
				(errcode(ERRCODE_WINDOWING_ERROR),
				 errmsg("window functions are not allowed in MATCH_RECOGNIZE expressions"),
				 parser_errposition(pstate, locate_windowfunc(expr))));
	if (pstate->p_hasTargetSRFs || expression_returns_set(expr))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("set-returning functions are not supported in MATCH_RECOGNIZE expressions")));
}

/* Compile src into c: a DEFINE (define_var >= 0) or a measure. */
static void
mr_compile_one(MrCompile *cx, const MrExpr *src, int define_var, MrCompiled *c)
{
	MrCompileErr ce;
	ErrorContextCallback errcb;
	MrScan		sc;
	char	   *sql = psprintf(MR_SQL_PREFIX "%s", src->text);
	ParseState *pstate = make_parsestate(NULL);
	Node	   *expr;

	ce.what = c->what;
	ce.clause = cx->clause;
	ce.start = src->start;
	errcb.callback = mr_compile_errcb;
	errcb.arg = &ce;
	errcb.previous = error_context_stack;
	error_context_stack = &errcb;

	pstate->p_sourcetext = sql;
	pstate->p_pre_columnref_hook = mr_colref_hook;
	pstate->p_ref_hook_state = (void *) cx;
	memset(&sc, 0, sizeof(sc));
	sc.clause = cx->clause;
	sc.pstate = pstate;
	sc.schema = get_namespace_name(cx->nsp);
	sc.is_define = define_var >= 0;

	mr_scan_semantics(&sc, sql);
	expr = mr_parse_text(sql);
	mr_scan_raw(&sc, expr);
	expr = transformExpr(pstate, expr, EXPR_KIND_SELECT_TARGET);
	mr_check_analyzed(pstate, expr);
	if (define_var >= 0)
		expr = coerce_to_boolean(pstate, expr, "DEFINE");
	else if (exprType(expr) == UNKNOWNOID)
		expr = coerce_type(pstate, expr, UNKNOWNOID, TEXTOID, -1,
						   COERCION_IMPLICIT, COERCE_IMPLICIT_CAST, -1);
	assign_expr_collations(pstate, expr);

	c->type = exprType(expr);
	c->typmod = exprTypmod(expr);
	get_typlenbyval(c->type, &c->typlen, &c->typbyval);
	c->expr = (Expr *) mr_rewrite(cx, &sc, expr, define_var, &c->history_free);
	c->state = mr_compile_expr(cx, c->expr, &c->uses_scan);

	free_parsestate(pstate);
	error_context_stack = errcb.previous;
}

/* ------------------------------------------------------------ interface */

static void
mr_init_vars(MrExprs *e, const MrClause *clause)
{
	e->nprimary = clause->nprimary;
	e->vars = palloc0(sizeof(MrVarInfo) * Max(clause->nvars, 1));
	for (int i = 0; i < clause->nvars; i++)
	{
		const MrVariable *v = &clause->vars[i];

		e->vars[i].label = CStringGetTextDatum(v->label);
		if (i < e->nprimary)
			continue;
		e->vars[i].member = palloc0(sizeof(bool) * Max(e->nprimary, 1));
		for (int j = 0; j < v->nmembers; j++)
			e->vars[i].member[v->members[j]] = true;
	}
}

static void
mr_init_runtime(MrExprs *e)
{
	for (int i = 0; i < MR_MAX_LEVELS; i++)
	{
		e->levels[i].econtext = CreateStandaloneExprContext();
		e->levels[i].slot = MakeSingleTupleTableSlot(e->desc, &TTSOpsVirtual);
		e->levels[i].row = -1;
		e->levels[i].loaded_row = -1;
	}
	e->aggcxt = AllocSetContextCreate(e->cxt, "MATCH_RECOGNIZE aggregate",
									  ALLOCSET_DEFAULT_SIZES);
	e->aggcallcxt = AllocSetContextCreate(e->cxt, "MATCH_RECOGNIZE aggregate calls",
										  ALLOCSET_DEFAULT_SIZES);
	for (int i = 0; i < e->nparams; i++)
	{
		MrParam    *p = e->params[i];

		if (p->kind != MRP_AGG)
			continue;
		p->runner = palloc0(sizeof(WcAggRunner));
		wc_aggs_setup(p->runner, 1, p->agg, e->aggcallcxt);
	}
	e->status_match = CStringGetTextDatum("MATCH");
	e->status_timeout = CStringGetTextDatum("TIMEOUT");
}

MrExprs *
mr_exprs_compile(const MrClause *clause, TupleDesc input, MrFetchRow fetch, void *fetch_arg)
{
	MemoryContext cxt = AllocSetContextCreate(CurrentMemoryContext,
											  "MATCH_RECOGNIZE expressions",
											  ALLOCSET_DEFAULT_SIZES);
	MemoryContext old = MemoryContextSwitchTo(cxt);
	MrExprs    *e = palloc0(sizeof(MrExprs));
	MrCompile	cx;

	e->cxt = cxt;
	e->desc = CreateTupleDescCopy(input);
	e->fetch = fetch;
	e->fetch_arg = fetch_arg;
	mr_init_vars(e, clause);

	memset(&cx, 0, sizeof(cx));
	cx.e = e;
	cx.clause = clause;
	cx.nsp = get_namespace_oid(AS_EXTENSION_NAME, false);
	cx.params = makeParamList(0);
	cx.params->paramCompile = mr_param_compile;
	cx.params->paramCompileArg = (void *) &cx;

	e->defines = palloc0(sizeof(MrCompiled *) * Max(e->nprimary, 1));
	for (int i = 0; i < clause->ndefines; i++)
	{
		const MrDefine *d = &clause->defines[i];
		MrCompiled *c = palloc0(sizeof(MrCompiled));

		c->what = psprintf("DEFINE of variable %s", clause->vars[d->var].label);
		mr_compile_one(&cx, &d->cond, d->var, c);
		e->defines[d->var] = c;
	}
	e->nmeasures = clause->nmeasures;
	e->measures = palloc0(sizeof(MrCompiled) * Max(e->nmeasures, 1));
	for (int i = 0; i < clause->nmeasures; i++)
	{
		MrCompiled *c = &e->measures[i];

		c->what = psprintf("measure \"%s\"", clause->measures[i].alias);
		mr_compile_one(&cx, &clause->measures[i].expr, -1, c);
	}

	e->history_free = true;
	for (int i = 0; i < e->nprimary; i++)
		if (e->defines[i] && !e->defines[i]->history_free)
			e->history_free = false;
	e->nparams = list_length(cx.paramlist);
	e->params = palloc(sizeof(MrParam *) * Max(e->nparams, 1));
	for (int i = 0; i < e->nparams; i++)
		e->params[i] = (MrParam *) list_nth(cx.paramlist, i);
	mr_init_runtime(e);
	MemoryContextSwitchTo(old);
	return e;
}

/*
 * The input columns the expressions read (attribute numbers from 1), or
 * NULL with *all set when one of them needs the whole row.
 */
Bitmapset *
mr_exprs_columns_used(const MrExprs *e, bool *all)
{
	Bitmapset  *offset = NULL;
	Bitmapset  *cols = NULL;
	int			i;

	for (i = 0; i < e->nprimary; i++)
		if (e->defines[i] != NULL)
			pull_varattnos((Node *) e->defines[i]->expr, 1, &offset);
	for (i = 0; i < e->nmeasures; i++)
		pull_varattnos((Node *) e->measures[i].expr, 1, &offset);
	for (i = 0; i < e->nparams; i++)
	{
		MrParam    *p = e->params[i];

		if (p->argexpr != NULL)
			pull_varattnos((Node *) p->argexpr, 1, &offset);
		for (int a = 0; a < p->nargs; a++)
			pull_varattnos((Node *) p->argexprs[a], 1, &offset);
	}
	*all = false;
	i = -1;
	while ((i = bms_next_member(offset, i)) >= 0)
	{
		AttrNumber	attno = i + FirstLowInvalidHeapAttributeNumber;

		if (attno == 0)
			*all = true;
		else if (attno > 0)
			cols = bms_add_member(cols, attno);
	}
	return *all ? NULL : cols;
}

bool
mr_exprs_history_free(const MrExprs *e)
{
	return e->history_free;
}

int
mr_exprs_define_lookahead(const MrExprs *e)
{
	return (int) Min(e->define_lookahead, (int64) PG_INT32_MAX);
}

int
mr_exprs_measure_lookahead(const MrExprs *e)
{
	return (int) Min(e->measure_lookahead, (int64) PG_INT32_MAX);
}

int
mr_exprs_lookbehind(const MrExprs *e)
{
	return (int) Min(e->lookbehind, (int64) PG_INT32_MAX);
}

Oid
mr_exprs_measure_type(const MrExprs *e, int i, int32 *typmod)
{
	Assert(i >= 0 && i < e->nmeasures);
	if (typmod)
		*typmod = e->measures[i].typmod;
	return e->measures[i].type;
}

void
mr_exprs_free(MrExprs *e)
{
	for (int i = 0; i < MR_MAX_LEVELS; i++)
	{
		ExecDropSingleTupleTableSlot(e->levels[i].slot);
		FreeExprContext(e->levels[i].econtext, true);
	}
	MemoryContextDelete(e->cxt);
}

/*
 * The placeholder functions of sql/install/81_match_recognize_functions.sql:
 * reached only when called outside MATCH_RECOGNIZE.
 */
PG_FUNCTION_INFO_V1(mr_placeholder_sql);

Datum
mr_placeholder_sql(PG_FUNCTION_ARGS)
{
	char	   *name = get_func_name(fcinfo->flinfo->fn_oid);
	const char *what = "PREV, NEXT, FIRST and LAST";

	if (name != NULL && strncmp(name, "_mr_", 4) == 0 && strcmp(name, "_mr_nav") != 0)
	{
		what = asc_toupper(name + 4, strlen(name + 4));
	}
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("%s can only be used in MATCH_RECOGNIZE DEFINE and MEASURES", what)));
	PG_RETURN_NULL();
}
