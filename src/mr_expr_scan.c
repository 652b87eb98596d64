/*-------------------------------------------------------------------------
 *
 * mr_expr_scan.c
 *	  The two passes over a MATCH_RECOGNIZE expression before PostgreSQL's
 *	  analyzer sees it (mr_expr.c drives them):
 *
 *	- a token pass with PostgreSQL's own scanner over "SELECT <text>":
 *	  an unquoted RUNNING or FINAL followed by a name (a function call or a
 *	  column reference) is blanked out, and its meaning recorded against
 *	  the byte location of that name, which the analyzed node keeps
 *	  (FuncExpr, Aggref and our column Vars carry it);
 *	- a pass over the raw parse tree: calls of PREV, NEXT, FIRST, LAST,
 *	  CLASSIFIER, MATCH_NUMBER, MATCH_STATUS and MATCH_DEADLINE (unqualified
 *	  names, any case) are checked, their offsets resolved to constants,
 *	  CLASSIFIER(X)'s variable recorded, and the call redirected to a
 *	  placeholder function of the extension's schema (_mr_nav(anyelement),
 *	  _mr_classifier(), ...), so that the analyzer types them while a
 *	  user's own functions of these names (schema-qualified) stay
 *	  reachable.  Subqueries are rejected here, before analysis.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/keywords.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "optimizer/optimizer.h"
#include "parser/gramparse.h"
#include "parser/parse_coerce.h"
#include "parser/parse_expr.h"
#include "parser/parse_node.h"
#include "parser/scanner.h"
#include "utils/builtins.h"
#include "utils/formatting.h"

#include "mr_expr_int.h"

/* ------------------------------------------------------ RUNNING / FINAL */

typedef struct MrToken
{
	int			code;
	int			loc;
	const char *ident;			/* IDENT: the (folded) name */
} MrToken;

/* An identifier or an unreserved keyword (it may name a function). */
static bool
mr_token_is_name(const MrToken *t, const char *sql)
{
	int			len = 0;
	char	   *word;
	int			kw;

	if (t->code == IDENT)
		return true;
	if (t->code < 256)
		return false;
	while (isalnum((unsigned char) sql[t->loc + len]) || sql[t->loc + len] == '_' ||
		   IS_HIGHBIT_SET(sql[t->loc + len]))
		len++;
	if (len == 0 || len >= NAMEDATALEN)
		return false;
	word = pnstrdup(sql + t->loc, len);
	kw = ScanKeywordLookup(word, &ScanKeywords);
	pfree(word);
	return kw >= 0 && ScanKeywordTokens[kw] == t->code &&
		ScanKeywordCategories[kw] == UNRESERVED_KEYWORD;
}

static MrToken *
mr_tokenize(const char *sql, int *ntokens)
{
	core_yy_extra_type yyextra;
	core_yyscan_t scanner;
	int			cap = 64;
	int			n = 0;
	MrToken    *toks = palloc(sizeof(MrToken) * cap);

	scanner = scanner_init(sql, &yyextra, &ScanKeywords, ScanKeywordTokens);
	for (;;)
	{
		core_YYSTYPE lval;
		YYLTYPE		loc;
		int			code = core_yylex(&lval, &loc, scanner);

		if (code == 0)
			break;
		if (n == cap)
		{
			cap *= 2;
			toks = repalloc(toks, sizeof(MrToken) * cap);
		}
		toks[n].code = code;
		toks[n].loc = loc;
		toks[n].ident = code == IDENT ? lval.str : NULL;
		n++;
	}
	scanner_finish(scanner);
	*ntokens = n;
	return toks;
}

/*
 * Blank out RUNNING / FINAL keywords in sql (in place, keeping every byte
 * offset) and record them in sc->sems.  A keyword is an unquoted running
 * or final followed by a name; a column called so must be quoted there.
 */
void
mr_scan_semantics(MrScan *sc, char *sql)
{
	int			n;
	MrToken    *toks = mr_tokenize(sql, &n);

	for (int i = 0; i + 1 < n; i++)
	{
		MrSemInfo  *si;
		bool		final;

		if (toks[i].ident == NULL || sql[toks[i].loc] == '"')
			continue;
		if (strcmp(toks[i].ident, "final") == 0)
			final = true;
		else if (strcmp(toks[i].ident, "running") == 0)
			final = false;
		else
			continue;
		if (!mr_token_is_name(&toks[i + 1], sql))
			continue;
		if (final && sc->is_define)
			ereport(ERROR,
					(errcode(ERRCODE_SYNTAX_ERROR),
					 errmsg("FINAL cannot be used in DEFINE"),
					 errhint("DEFINE conditions see the rows up to the current one: they are always RUNNING."),
					 parser_errposition(sc->pstate, toks[i].loc)));
		si = palloc0(sizeof(MrSemInfo));
		si->location = toks[i + 1].loc;
		si->final = final;
		sc->sems = lappend(sc->sems, si);
		memset(sql + toks[i].loc, ' ', strlen(toks[i].ident));
	}
	pfree(toks);
}

/* ----------------------------------------------------- the raw-tree pass */

typedef struct MrFuncName
{
	const char *name;			/* as written, folded */
	const char *placeholder;	/* in the extension schema */
	MrParamKind kind;
	MrNavKind	nav;
} MrFuncName;

static const MrFuncName mr_func_names[] = {
	{"prev", "_mr_nav", MRP_NAV, MR_NAV_PREV},
	{"next", "_mr_nav", MRP_NAV, MR_NAV_NEXT},
	{"first", "_mr_nav", MRP_NAV, MR_NAV_FIRST},
	{"last", "_mr_nav", MRP_NAV, MR_NAV_LAST},
	{"classifier", "_mr_classifier", MRP_CLASSIFIER, MR_NAV_NONE},
	{"match_number", "_mr_match_number", MRP_MATCH_NUMBER, MR_NAV_NONE},
	{"match_status", "_mr_match_status", MRP_MATCH_STATUS, MR_NAV_NONE},
	{"match_deadline", "_mr_match_deadline", MRP_MATCH_DEADLINE, MR_NAV_NONE},
};

int
mr_find_var(const MrClause *clause, const char *name)
{
	for (int i = 0; i < clause->nvars; i++)
		if (strcmp(clause->vars[i].name, name) == 0)
			return i;
	return -1;
}

/*
 * The offset argument of a navigation: a constant bigint >= 0, resolved
 * here so that errors speak of the offset, not of a placeholder's
 * signature.
 */
static int64
mr_nav_offset(MrScan *sc, Node *raw, const char *fname)
{
	int			loc = exprLocation(raw);
	Node	   *expr = transformExpr(sc->pstate, raw, EXPR_KIND_SELECT_TARGET);
	Node	   *coerced;
	int64		offset;

	coerced = coerce_to_target_type(sc->pstate, expr, exprType(expr), INT8OID, -1,
									COERCION_IMPLICIT, COERCE_IMPLICIT_CAST, -1);
	if (coerced == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("offset of %s must be an integer, not type %s",
						fname, format_type_be(exprType(expr))),
				 parser_errposition(sc->pstate, loc)));
	coerced = eval_const_expressions(NULL, coerced);
	if (!IsA(coerced, Const))
		ereport(ERROR,
				(errcode(ERRCODE_SYNTAX_ERROR),
				 errmsg("offset of %s must be a constant", fname),
				 parser_errposition(sc->pstate, loc)));
	if (((Const *) coerced)->constisnull)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("offset of %s must not be null", fname),
				 parser_errposition(sc->pstate, loc)));
	offset = DatumGetInt64(((Const *) coerced)->constvalue);
	if (offset < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("offset of %s must not be negative", fname),
				 parser_errposition(sc->pstate, loc)));
	return offset;
}

/* CLASSIFIER's argument: nothing, or the name of a pattern variable. */
static int
mr_classifier_arg(MrScan *sc, FuncCall *fc)
{
	ColumnRef  *cref;
	int			var;

	if (fc->args == NIL)
		return MR_UNIVERSAL;
	cref = (ColumnRef *) linitial(fc->args);
	if (list_length(fc->args) != 1 || !IsA(cref, ColumnRef) ||
		list_length(cref->fields) != 1 || !IsA(linitial(cref->fields), String))
		ereport(ERROR,
				(errcode(ERRCODE_SYNTAX_ERROR),
				 errmsg("the argument of CLASSIFIER must be a pattern variable"),
				 parser_errposition(sc->pstate, exprLocation(linitial(fc->args)))));
	var = mr_find_var(sc->clause, strVal(linitial(cref->fields)));
	if (var < 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("pattern variable \"%s\" does not exist",
						strVal(linitial(cref->fields))),
				 parser_errposition(sc->pstate, cref->location)));
	return var;
}

static void
mr_scan_call(MrScan *sc, FuncCall *fc)
{
	const MrFuncName *fn = NULL;
	const char *name;
	char	   *upper;
	MrCallInfo *ci;
	ListCell   *lc;

	if (list_length(fc->funcname) != 1)
		return;
	name = strVal(linitial(fc->funcname));
	for (int i = 0; i < lengthof(mr_func_names); i++)
		if (strcmp(mr_func_names[i].name, name) == 0)
			fn = &mr_func_names[i];
	if (fn == NULL)
		return;
	upper = asc_toupper(name, strlen(name));
	if (fc->agg_order || fc->agg_filter || fc->agg_within_group || fc->agg_star ||
		fc->agg_distinct || fc->func_variadic || fc->over)
		ereport(ERROR,
				(errcode(ERRCODE_SYNTAX_ERROR),
				 errmsg("%s cannot take *, DISTINCT, ORDER BY, WITHIN GROUP, FILTER, VARIADIC or OVER",
						upper),
				 parser_errposition(sc->pstate, fc->location)));
	foreach(lc, fc->args)
		if (IsA(lfirst(lc), NamedArgExpr))
			ereport(ERROR,
					(errcode(ERRCODE_SYNTAX_ERROR),
					 errmsg("%s does not take named arguments", upper),
					 parser_errposition(sc->pstate, fc->location)));

	ci = palloc0(sizeof(MrCallInfo));
	ci->location = fc->location;
	ci->kind = fn->kind;
	ci->nav = fn->nav;
	ci->classifier_var = MR_UNIVERSAL;
	if (fn->kind == MRP_NAV)
	{
		if (list_length(fc->args) < 1 || list_length(fc->args) > 2)
			ereport(ERROR,
					(errcode(ERRCODE_SYNTAX_ERROR),
					 errmsg("%s takes an expression and an optional offset", upper),
					 parser_errposition(sc->pstate, fc->location)));
		ci->offset = fn->nav == MR_NAV_PREV || fn->nav == MR_NAV_NEXT ? 1 : 0;
		if (list_length(fc->args) == 2)
			ci->offset = mr_nav_offset(sc, lsecond(fc->args), upper);
		fc->args = list_make1(linitial(fc->args));
	}
	else if (fn->kind == MRP_CLASSIFIER)
	{
		ci->classifier_var = mr_classifier_arg(sc, fc);
		fc->args = NIL;
	}
	else if (fc->args != NIL)
		ereport(ERROR,
				(errcode(ERRCODE_SYNTAX_ERROR),
				 errmsg("%s takes no arguments", upper),
				 parser_errposition(sc->pstate, fc->location)));
	fc->funcname = list_make2(makeString(sc->schema), makeString(pstrdup(fn->placeholder)));
	sc->calls = lappend(sc->calls, ci);
}

/* Post-order, so that an offset sees its own calls already redirected. */
static bool
mr_scan_walker(Node *node, MrScan *sc)
{
	if (node == NULL)
		return false;
	if (IsA(node, SubLink))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("subqueries are not supported in MATCH_RECOGNIZE expressions"),
				 parser_errposition(sc->pstate, exprLocation(node))));
	check_stack_depth();
	if (raw_expression_tree_walker(node, mr_scan_walker, (void *) sc))
		return true;
	if (IsA(node, FuncCall))
		mr_scan_call(sc, (FuncCall *) node);
	return false;
}

void
mr_scan_raw(MrScan *sc, Node *raw)
{
	mr_scan_walker(raw, sc);
}
