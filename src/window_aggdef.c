/*-------------------------------------------------------------------------
 *
 * window_aggdef.c
 *	  Resolve an aggregate list such as 'count(*), avg(rssi) AS avg_rssi,
 *	  max(rssi) FILTER (WHERE source_id = ''a1'')' against the row type of
 *	  an input query, into WcAggDef descriptions for the window core.
 *
 * The list is parsed by PostgreSQL's own parser as the target list of a
 * SELECT with no FROM clause, so function resolution, implicit casts,
 * polymorphism and collations behave exactly as in a query.  Column names
 * resolve to the input query's columns through a column-reference hook.
 * Each entry must be one plain aggregate call: no DISTINCT, no ORDER BY
 * inside the call, no ordered-set or hypothetical-set aggregate, no window
 * function, no subquery.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_aggregate.h"
#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "parser/parse_agg.h"
#include "parser/parse_coerce.h"
#include "parser/parse_collate.h"
#include "parser/parse_expr.h"
#include "parser/parse_node.h"
#include "parser/parser.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"

#include "window_core.h"

/* Column references resolve to the input query's columns. */
static Node *
wa_colref_hook(ParseState *pstate, ColumnRef *cref, Node *var)
{
	TupleDesc	tupdesc = (TupleDesc) pstate->p_ref_hook_state;
	const char *name;

	if (var != NULL || list_length(cref->fields) != 1 ||
		!IsA(linitial(cref->fields), String))
		return NULL;
	name = strVal(linitial(cref->fields));
	for (int i = 0; i < tupdesc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(tupdesc, i);

		if (!att->attisdropped && strcmp(NameStr(att->attname), name) == 0)
		{
			Var		   *var = makeVar(1, i + 1, att->atttypid, att->atttypmod,
									  att->attcollation, 0);

			/*
			 * The analyzer resolves (col).field of a Var of type record
			 * through the range table, which there is none of: hide the Var.
			 */
			if (att->atttypid == RECORDOID)
				return (Node *) makeRelabelType((Expr *) var, RECORDOID, -1,
												InvalidOid, COERCE_IMPLICIT_CAST);
			return (Node *) var;
		}
	}
	return NULL;
}

static void
wa_bad_list(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("aggregates must be a comma-separated list of aggregate calls"),
			 errdetail("%s", detail),
			 errhint("For example: 'count(*), avg(rssi) AS avg_rssi'.")));
}

/*
 * Fill a WcAggDef for one parsed aggregate call: support functions with
 * their expression trees, the resolved transition type, its initial value
 * and its snapshot I/O.  Checks EXECUTE permission on the aggregate.
 * Allocates in the current memory context.  Also used by MATCH_RECOGNIZE
 * (mr_expr.c).
 */
WcAggDef *
wc_build_aggdef(Aggref *aggref, const char *name)
{
	WcAggDef   *def = palloc0(sizeof(WcAggDef));
	HeapTuple	tup;
	Form_pg_aggregate aggform;
	Oid			inputTypes[FUNC_MAX_ARGS];
	int			numargs;
	Expr	   *transfnexpr,
			   *finalfnexpr,
			   *combinefnexpr,
			   *serialfnexpr,
			   *deserialfnexpr;
	Datum		initval;
	bool		initnull;
	AclResult	aclresult;

	aclresult = pg_proc_aclcheck(aggref->aggfnoid, GetUserId(), ACL_EXECUTE);
	if (aclresult != ACLCHECK_OK)
		aclcheck_error(aclresult, OBJECT_AGGREGATE, get_func_name(aggref->aggfnoid));

	tup = SearchSysCache1(AGGFNOID, ObjectIdGetDatum(aggref->aggfnoid));
	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for aggregate %u", aggref->aggfnoid);
	aggform = (Form_pg_aggregate) GETSTRUCT(tup);

	def->finalmodify = aggform->aggfinalmodify;
	def->name = pstrdup(name);
	def->aggfnoid = aggref->aggfnoid;
	def->resulttype = aggref->aggtype;
	def->collation = aggref->inputcollid;
	numargs = get_aggregate_argtypes(aggref, inputTypes);
	if (numargs > WC_MAX_AGG_ARGS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("aggregate %s has more than %d arguments", name, WC_MAX_AGG_ARGS)));
	def->numargs = numargs;
	memcpy(def->argtypes, inputTypes, sizeof(Oid) * numargs);
	def->transtype = resolve_aggregate_transtype(aggref->aggfnoid, aggform->aggtranstype,
												 inputTypes, numargs);
	get_typlenbyval(def->transtype, &def->transtypeLen, &def->transtypeByVal);

	build_aggregate_transfn_expr(inputTypes, numargs, 0, aggref->aggvariadic,
								 def->transtype, def->collation,
								 aggform->aggtransfn, InvalidOid,
								 &transfnexpr, NULL);
	fmgr_info(aggform->aggtransfn, &def->transfn);
	fmgr_info_set_expr((Node *) transfnexpr, &def->transfn);
	def->transfnStrict = def->transfn.fn_strict;

	initval = SysCacheGetAttr(AGGFNOID, tup, Anum_pg_aggregate_agginitval, &initnull);
	def->initValueIsNull = initnull;
	if (!initnull)
	{
		Oid			typinput,
					typioparam;

		getTypeInputInfo(def->transtype, &typinput, &typioparam);
		def->initValue = OidInputFunctionCall(typinput, TextDatumGetCString(initval),
											  typioparam, -1);
	}
	else if (def->transfnStrict &&
			 (numargs < 1 || !IsBinaryCoercible(inputTypes[0], def->transtype)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_FUNCTION_DEFINITION),
				 errmsg("aggregate %s needs an initial value", name),
				 errdetail("Its transition function is strict and its input type is not its transition type.")));

	if (OidIsValid(aggform->aggfinalfn))
	{
		def->hasFinal = true;
		def->numFinalArgs = aggform->aggfinalextra ? numargs + 1 : 1;
		build_aggregate_finalfn_expr(inputTypes, def->numFinalArgs, def->transtype,
									 aggref->aggtype, def->collation,
									 aggform->aggfinalfn, &finalfnexpr);
		fmgr_info(aggform->aggfinalfn, &def->finalfn);
		fmgr_info_set_expr((Node *) finalfnexpr, &def->finalfn);
	}

	if (OidIsValid(aggform->aggcombinefn))
	{
		def->hasCombine = true;
		build_aggregate_transfn_expr(&def->transtype, 1, 0, false,
									 def->transtype, def->collation,
									 aggform->aggcombinefn, InvalidOid,
									 &combinefnexpr, NULL);
		fmgr_info(aggform->aggcombinefn, &def->combinefn);
		fmgr_info_set_expr((Node *) combinefnexpr, &def->combinefn);
		def->combinefnStrict = def->combinefn.fn_strict;
	}

	if (def->transtype == INTERNALOID)
	{
		if (OidIsValid(aggform->aggserialfn) && OidIsValid(aggform->aggdeserialfn))
		{
			def->hasSerial = true;
			build_aggregate_serialfn_expr(aggform->aggserialfn, &serialfnexpr);
			fmgr_info(aggform->aggserialfn, &def->serialfn);
			fmgr_info_set_expr((Node *) serialfnexpr, &def->serialfn);
			build_aggregate_deserialfn_expr(aggform->aggdeserialfn, &deserialfnexpr);
			fmgr_info(aggform->aggdeserialfn, &def->deserialfn);
			fmgr_info_set_expr((Node *) deserialfnexpr, &def->deserialfn);
		}
	}
	else
	{
		HeapTuple	ttup = SearchSysCache1(TYPEOID, ObjectIdGetDatum(def->transtype));
		Form_pg_type typ;

		if (!HeapTupleIsValid(ttup))
			elog(ERROR, "cache lookup failed for type %u", def->transtype);
		typ = (Form_pg_type) GETSTRUCT(ttup);
		if (OidIsValid(typ->typsend) && OidIsValid(typ->typreceive))
		{
			def->hasSendRecv = true;
			fmgr_info(typ->typsend, &def->sendfn);
			fmgr_info(typ->typreceive, &def->recvfn);
			def->recvioparam = getTypeIOParam(ttup);
		}
		ReleaseSysCache(ttup);
	}

	ReleaseSysCache(tup);
	return def;
}

/*
 * Parse and resolve an aggregate list against tupdesc.  Returns a List of
 * WcAggCall allocated in cxt; argument and filter expressions refer to the
 * input row as Vars of varno 1.
 */
List *
wc_parse_aggregates(const char *text, TupleDesc tupdesc, MemoryContext cxt)
{
	MemoryContext old = MemoryContextSwitchTo(cxt);
	char	   *sql = psprintf("SELECT %s", text);
	List	   *raw;
	RawStmt    *rs;
	SelectStmt *sel;
	ParseState *pstate;
	ListCell   *lc;
	List	   *calls = NIL;

	raw = raw_parser(sql, RAW_PARSE_DEFAULT);
	if (list_length(raw) != 1)
		wa_bad_list("It must not contain a semicolon.");
	rs = linitial_node(RawStmt, raw);
	if (!IsA(rs->stmt, SelectStmt))
		wa_bad_list("It is not a list of expressions.");
	sel = (SelectStmt *) rs->stmt;
	if (sel->op != SETOP_NONE || sel->fromClause || sel->whereClause ||
		sel->groupClause || sel->havingClause || sel->windowClause ||
		sel->valuesLists || sel->sortClause || sel->limitOffset ||
		sel->limitCount || sel->lockingClause || sel->withClause ||
		sel->intoClause || sel->distinctClause || sel->targetList == NIL)
		wa_bad_list("It must contain only aggregate calls, without FROM, WHERE or other clauses.");

	pstate = make_parsestate(NULL);
	pstate->p_sourcetext = sql;
	pstate->p_post_columnref_hook = wa_colref_hook;
	pstate->p_ref_hook_state = (void *) tupdesc;

	foreach(lc, sel->targetList)
	{
		ResTarget  *rt = lfirst_node(ResTarget, lc);
		Node	   *expr;
		Aggref	   *aggref;
		WcAggCall  *call;
		ListCell   *ac;
		const char *name;

		if (!IsA(rt->val, FuncCall))
			wa_bad_list("Each entry must be a single aggregate call such as avg(rssi).");
		expr = transformExpr(pstate, rt->val, EXPR_KIND_SELECT_TARGET);
		assign_expr_collations(pstate, expr);
		if (pstate->p_hasWindowFuncs)
			wa_bad_list("Window functions (OVER) are not allowed.");
		if (pstate->p_hasSubLinks)
			wa_bad_list("Subqueries are not allowed.");
		if (!IsA(expr, Aggref))
			wa_bad_list("Each entry must be a single aggregate call such as avg(rssi).");
		aggref = (Aggref *) expr;
		name = rt->name ? rt->name : get_func_name(aggref->aggfnoid);
		if (aggref->aggkind != AGGKIND_NORMAL)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("ordered-set aggregate %s is not supported in a window replay", name)));
		if (aggref->aggdistinct != NIL || aggref->aggorder != NIL)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("DISTINCT and ORDER BY inside aggregate %s are not supported in a window replay", name),
					 errhint("Aggregates consume rows in arrival order.")));

		call = palloc0(sizeof(WcAggCall));
		call->def = wc_build_aggdef(aggref, name);
		if (call->def->finalmodify != AGGMODIFY_READ_ONLY)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("aggregate %s cannot be used in a window replay", name),
					 errdetail("Its final function modifies the transition state, so the result cannot be computed more than once.")));
		foreach(ac, aggref->args)
			call->argexprs = lappend(call->argexprs, lfirst_node(TargetEntry, ac)->expr);
		call->filter = (Node *) aggref->aggfilter;
		calls = lappend(calls, call);
	}

	free_parsestate(pstate);
	MemoryContextSwitchTo(old);
	return calls;
}
