/*-------------------------------------------------------------------------
 *
 * mr_srf.c
 *	  asset_stream.match_recognize(input, clause, complete_until): the
 *	  set-returning driver around the MATCH_RECOGNIZE operator core.
 *
 * The input query runs through SPI with the caller's rights, wrapped so
 * that the database sorts it by the PARTITION BY and ORDER BY columns:
 *	  SELECT * FROM (input) mr_input ORDER BY p1, ..., o1 [DESC] ...
 * Rows arrive through a DestReceiver.  A change of the partition key ends
 * a partition.  Each row goes to the partition's row store
 * (mr_rowstore.c) and its event time to the push matcher (mr_matcher.c),
 * held back as many rows as DEFINE looks ahead with NEXT.  The matcher asks
 * for DEFINE results (mr_expr.c evaluates them over the row store) and
 * reports matches, timeouts and unmatched rows, which become output rows:
 * ONE ROW PER MATCH: partition columns, then measures; ALL ROWS PER MATCH:
 * every input column (partition, order, the rest) and the measures.  The
 * caller's column definition list binds to those by name.  Rows the
 * matcher will not ask about again (less what PREV may still reach) are
 * released, so memory follows the live partial matches; the row store
 * spills beyond work_mem.
 *
 * With asset_stream.match_matcher = 'backtrack' each partition is
 * buffered whole and given to the reference backtracking matcher: the
 * property tests compare the two.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/detoast.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "nodes/parsenodes.h"
#include "executor/executor.h"
#include "nodes/makefuncs.h"
#include "nodes/params.h"
#include "parser/parse_coerce.h"
#include "parser/parser.h"
#include "tcop/dest.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/plancache.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"
#include "utils/typcache.h"

#include "asset_stream.h"
#include "mr_clause.h"
#include "mr_expr.h"
#include "mr_matcher.h"
#include "mr_pattern.h"
#include "mr_rowstore.h"
#include "srf_columns.h"

PG_FUNCTION_INFO_V1(mr_match_recognize);

/* Unread input columns are sent as NULL if they take this many bytes a row. */
#define MR_DROP_MIN_WIDTH 24

#define MR_FNAME "match_recognize"

/* Where an output column comes from. */
typedef struct MrOutCol
{
	bool		measure;		/* measure index, else input attribute */
	int			index;
	bool		detoast;
	Oid			type;			/* of the value before coercion */
	ExprState  *coerce;			/* assignment cast to the declared type, or
								 * NULL */
} MrOutCol;

typedef struct MrSrf
{
	DestReceiver pub;			/* must be first */

	MemoryContext callcxt;		/* lives for the call */
	MemoryContext evalcxt;		/* reset after each evaluation / output row */
	MrClause   *clause;
	MrProgram  *prog;
	int64		complete_until; /* as a time of the ORDER BY column */
	Datum		complete_until_tz;	/* the argument */
	bool		backtrack;

	/* input binding (mr_prepare) */
	TupleDesc	indesc;
	bool	   *needed;			/* per input column: read by the clause or
								 * the output (others are sent as NULL) */
	int			npart;
	int		   *part_att;
	FmgrInfo   *part_eq;
	Oid		   *part_coll;
	int		   *order_att;
	int			time_att;		/* -1: event time not needed */
	MrExprs    *exprs;
	MrRowStore *rows;
	uint64		rows_generation;	/* of rows, when the expressions last saw it */
	MrMatcher  *matcher;
	MrMatcherHooks hooks;		/* into this driver, for either matcher */
	int			lookahead;
	int			lookbehind;
	TupleTableSlot *outslot;	/* a row being output */

	/* the current partition */
	bool		have_key;
	Datum	   *key;
	bool	   *keynull;
	MemoryContext keycxt;
	int64		pushed;			/* rows given to the matcher */
	int64	   *times;			/* times of rows not yet pushed / all rows
								 * (backtrack), indexed by row - times_base */
	int64		times_base;
	int64		ntimes;
	int64		times_cap;
	int32	   *labels;			/* scratch for DEFINE views */
	int64		labels_cap;

	/* output */
	Tuplestorestate *tstore;
	TupleDesc	outdesc;
	MrOutCol   *out;
	bool		output_reads_input; /* some output column is an input column */
	Datum	   *values;
	bool	   *nulls;
	Datum	   *measure_values;
	bool	   *measure_nulls;
	ExprContext *coerce_econtext;	/* for MrOutCol.coerce; $1 = the value */
} MrSrf;

static void mr_prepare(MrSrf *st, TupleDesc desc, const int32 *widths);
static void mr_startup(DestReceiver *self, int operation, TupleDesc typeinfo);
static bool mr_receive(TupleTableSlot *slot, DestReceiver *self);
static void mr_shutdown(DestReceiver *self) {}
static void mr_destroy(DestReceiver *self) {}
static void mr_end_partition(MrSrf *st);

/* ------------------------------------------------------------ arguments */

/* The clause's position of a byte offset, for messages. */
static int
mr_pos(MrSrf *st, int byte_offset)
{
	return mr_char_position(st->clause->text, byte_offset);
}

/*
 * A PARTITION BY / ORDER BY item must be a column name of the input:
 * parse it as an expression and accept a single unqualified name.
 */
static char *
mr_item_column(MrSrf *st, const MrExpr *e, const char *what)
{
	List	   *raw = NIL;
	char	   *sql = psprintf("SELECT %s", e->text);
	MemoryContext cxt = CurrentMemoryContext;

	PG_TRY();
	{
		raw = raw_parser(sql, RAW_PARSE_DEFAULT);
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(cxt);
		FlushErrorState();
		raw = NIL;
	}
	PG_END_TRY();

	if (list_length(raw) == 1)
	{
		RawStmt    *rs = linitial_node(RawStmt, raw);
		SelectStmt *sel = (SelectStmt *) rs->stmt;

		if (IsA(sel, SelectStmt) && list_length(sel->targetList) == 1 &&
			sel->fromClause == NIL && sel->whereClause == NULL)
		{
			ResTarget  *rt = linitial_node(ResTarget, sel->targetList);

			if (rt->name == NULL && IsA(rt->val, ColumnRef) &&
				list_length(((ColumnRef *) rt->val)->fields) == 1 &&
				IsA(linitial(((ColumnRef *) rt->val)->fields), String))
				return pstrdup(strVal(linitial(((ColumnRef *) rt->val)->fields)));
		}
	}
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("%s items must be column names of the input query", what),
			 errdetail("\"%s\" at position %d is not a column name.",
					   e->text, mr_pos(st, e->start)),
			 errhint("Compute the value as a column of the input query.")));
	return NULL;				/* keep the compiler quiet */
}

/* The input text without a trailing semicolon (it would end the subquery). */
static char *
mr_input_text(const char *input)
{
	int			len = strlen(input);

	while (len > 0 && (input[len - 1] == ';' || isspace((unsigned char) input[len - 1])))
		len--;
	return pnstrdup(input, len);
}

/*
 * Bytes a column of the input takes per row, as the planner would guess:
 * its length if fixed, else the column's statistics when it comes straight
 * from a table, else a guess by type.
 */
static int32
mr_column_width(Form_pg_attribute a, TargetEntry *te)
{
	int32		w = 0;

	if (a->attlen > 0)
		return a->attlen;
	if (te != NULL && OidIsValid(te->resorigtbl) && te->resorigcol > 0)
		w = get_attavgwidth(te->resorigtbl, te->resorigcol);
	return w > 0 ? w : get_typavgwidth(a->atttypid, a->atttypmod);
}

/*
 * The input query's row description, from planning it (not running it),
 * and the estimated width of each column (*widths).
 */
static TupleDesc
mr_input_desc(const char *input, int32 **widths)
{
	SPIPlanPtr	plan = SPI_prepare(psprintf("SELECT * FROM (%s\n) AS mr_input", input), 0, NULL);
	List	   *sources;
	CachedPlanSource *ps;
	List	   *tlist = NIL;
	TupleDesc	desc;
	int			i;

	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
	sources = SPI_plan_get_plan_sources(plan);
	if (list_length(sources) != 1 ||
		(ps = (CachedPlanSource *) linitial(sources))->resultDesc == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: input must be a single query that returns rows", MR_FNAME)));
	desc = CreateTupleDescCopy(ps->resultDesc);
	if (list_length(ps->query_list) == 1)
		tlist = linitial_node(Query, ps->query_list)->targetList;
	*widths = palloc(sizeof(int32) * Max(desc->natts, 1));
	for (i = 0; i < desc->natts; i++)
	{
		TargetEntry *te = i < list_length(tlist) ? list_nth_node(TargetEntry, tlist, i) : NULL;

		if (te != NULL && te->resjunk)
			te = NULL;
		(*widths)[i] = mr_column_width(TupleDescAttr(desc, i), te);
	}
	return desc;
}

/*
 * The query that feeds the matcher: the input, its columns renamed to
 * c1, c2, ... (so that duplicate names do no harm), only the columns
 * mr_needed_columns chose (the others NULL, so that the database sorts
 * narrow rows), ordered by the partition and order columns (by position).
 */
static char *
mr_sorted_query(MrSrf *st, const char *input)
{
	MrClause   *c = st->clause;
	TupleDesc	desc = st->indesc;
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	appendStringInfoString(&buf, "SELECT ");
	for (i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute a = TupleDescAttr(desc, i);

		if (i > 0)
			appendStringInfoString(&buf, ", ");
		if (st->needed[i])
			appendStringInfo(&buf, "c%d", i + 1);
		else
			appendStringInfo(&buf, "NULL::%s",
							 format_type_be_qualified(getBaseType(a->atttypid)));
		appendStringInfo(&buf, " AS %s", quote_identifier(NameStr(a->attname)));
	}
	appendStringInfo(&buf, " FROM (%s\n) AS mr_input(", input);
	for (i = 0; i < desc->natts; i++)
		appendStringInfo(&buf, "%sc%d", i > 0 ? ", " : "", i + 1);
	appendStringInfoChar(&buf, ')');
	for (i = 0; i < c->npartition; i++)
		appendStringInfo(&buf, "%s%d", i == 0 ? " ORDER BY " : ", ", st->part_att[i] + 1);
	for (i = 0; i < c->norder; i++)
	{
		MrOrderItem *o = &c->order[i];

		appendStringInfo(&buf, "%s%d%s%s", i == 0 && c->npartition == 0 ? " ORDER BY " : ", ",
						 st->order_att[i] + 1, o->desc ? " DESC" : "",
						 o->nulls == MR_NULLS_FIRST ? " NULLS FIRST" :
						 o->nulls == MR_NULLS_LAST ? " NULLS LAST" : "");
	}
	return buf.data;
}

/*
 * Which input columns the query must carry: keys, expressions, output;
 * or all of them when the others are narrow.
 */
static void
mr_needed_columns(MrSrf *st, const int32 *widths)
{
	int			natts = st->indesc->natts;
	bool		all;
	Bitmapset  *cols = mr_exprs_columns_used(st->exprs, &all);
	int64		dropped = 0;
	int			i;

	st->needed = palloc0(sizeof(bool) * Max(natts, 1));
	for (i = 0; i < natts; i++)
		st->needed[i] = all || bms_is_member(i + 1, cols);
	for (i = 0; i < st->npart; i++)
		st->needed[st->part_att[i]] = true;
	for (i = 0; i < st->clause->norder; i++)
		st->needed[st->order_att[i]] = true;
	for (i = 0; i < st->outdesc->natts; i++)
		if (!st->out[i].measure)
			st->needed[st->out[i].index] = true;

	/*
	 * Sending a column as NULL makes the database project every row.  Over
	 * 5M rows sorted on disk that cost more than sorting one float8 column
	 * along (+15 %), and much less than sorting a 60-byte one (-30 %): drop
	 * the columns only if together they take MR_DROP_MIN_WIDTH bytes a row.
	 */
	for (i = 0; i < natts; i++)
		if (!st->needed[i])
			dropped += widths[i];
	if (dropped < MR_DROP_MIN_WIDTH)
		for (i = 0; i < natts; i++)
			st->needed[i] = true;
}

Datum
mr_match_recognize(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	MrSrf	   *st;
	char	   *input;
	char	   *query;
	SPIPlanPtr	plan;
	SPIExecuteOptions options;
	TupleDesc	desc;
	int32	   *widths;
	int			rc;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s: input and clause must not be NULL", MR_FNAME)));

	st = palloc0(sizeof(MrSrf));
	st->callcxt = CurrentMemoryContext;
	input = text_to_cstring(PG_GETARG_TEXT_PP(0));
	st->clause = mr_parse_clause(text_to_cstring(PG_GETARG_TEXT_PP(1)));
	st->prog = mr_compile_pattern(st->clause);
	st->complete_until_tz = PG_ARGISNULL(2) ? TimestampTzGetDatum(DT_NOEND) : PG_GETARG_DATUM(2);
	st->backtrack = as_match_matcher == AS_MATCHER_BACKTRACK;
	st->evalcxt = AllocSetContextCreate(st->callcxt, "asset_stream match_recognize rows",
										ALLOCSET_DEFAULT_SIZES);
	st->keycxt = AllocSetContextCreate(st->callcxt, "asset_stream match_recognize key",
									   ALLOCSET_SMALL_SIZES);

	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	st->tstore = rsinfo->setResult;
	st->outdesc = rsinfo->setDesc;

	st->pub.receiveSlot = mr_receive;
	st->pub.rStartup = mr_startup;
	st->pub.rShutdown = mr_shutdown;
	st->pub.rDestroy = mr_destroy;
	st->pub.mydest = DestNone;

	if ((rc = SPI_connect()) != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed: %s", SPI_result_code_string(rc));
	input = mr_input_text(input);
	desc = mr_input_desc(input, &widths);
	mr_prepare(st, desc, widths);
	query = mr_sorted_query(st, input);
	plan = SPI_prepare(query, 0, NULL);
	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
	memset(&options, 0, sizeof(options));
	options.read_only = false;
	options.dest = (DestReceiver *) st;
	rc = SPI_execute_plan_extended(plan, &options);
	if (rc < 0)
		elog(ERROR, "SPI_execute_plan_extended failed: %s", SPI_result_code_string(rc));
	if (st->have_key)
		mr_end_partition(st);
	SPI_finish();

	if (st->rows)
		mr_rowstore_free(st->rows);
	if (st->matcher)
		mr_matcher_free(st->matcher);
	return (Datum) 0;
}

/* ------------------------------------------------------- input binding */

static char *
mr_describe(TupleDesc desc, MrSrf *st, bool all_input)
{
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	for (i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute a = TupleDescAttr(desc, i);
		bool		is_part = false;
		int			j;

		if (a->attisdropped)
			continue;
		for (j = 0; j < st->npart; j++)
			is_part |= st->part_att[j] == i;
		if (!all_input && !is_part)
			continue;
		appendStringInfo(&buf, "%s%s %s", buf.len ? ", " : "",
						 quote_identifier(NameStr(a->attname)), format_type_be(a->atttypid));
	}
	if (st->exprs)
	{
		for (i = 0; i < st->clause->nmeasures; i++)
		{
			int32		typmod;
			Oid			t = mr_exprs_measure_type(st->exprs, i, &typmod);

			appendStringInfo(&buf, "%s%s %s", buf.len ? ", " : "",
							 quote_identifier(st->clause->measures[i].alias),
							 format_type_with_typemod(t, typmod));
		}
	}
	if (buf.len == 0)
		appendStringInfoString(&buf, "(none)");
	return buf.data;
}

static int
mr_bind_item(MrSrf *st, TupleDesc desc, const MrExpr *e, const char *what)
{
	char	   *name = mr_item_column(st, e, what);
	int			att = srf_find_column(desc, name, MR_FNAME);

	if (att < 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("%s column \"%s\" is not a column of the input query", what, name),
				 errdetail("Available columns: %s.", mr_describe(desc, st, true))));
	return att;
}

/* Partition and order columns, the event time column if needed. */
static void
mr_bind_keys(MrSrf *st, TupleDesc desc)
{
	MrClause   *c = st->clause;
	int			i;

	st->npart = c->npartition;
	st->part_att = palloc(sizeof(int) * Max(c->npartition, 1));
	st->part_eq = palloc0(sizeof(FmgrInfo) * Max(c->npartition, 1));
	st->part_coll = palloc(sizeof(Oid) * Max(c->npartition, 1));
	for (i = 0; i < c->npartition; i++)
	{
		Form_pg_attribute a;
		TypeCacheEntry *tc;

		st->part_att[i] = mr_bind_item(st, desc, &c->partition[i], "PARTITION BY");
		a = TupleDescAttr(desc, st->part_att[i]);
		tc = lookup_type_cache(a->atttypid, TYPECACHE_EQ_OPR_FINFO);
		if (!OidIsValid(tc->eq_opr_finfo.fn_oid))
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_FUNCTION),
					 errmsg("PARTITION BY column \"%s\" has type %s, which has no equality operator",
							NameStr(a->attname), format_type_be(a->atttypid))));
		fmgr_info_copy(&st->part_eq[i], &tc->eq_opr_finfo, st->callcxt);
		st->part_coll[i] = a->attcollation;
	}
	st->order_att = palloc(sizeof(int) * Max(c->norder, 1));
	for (i = 0; i < c->norder; i++)
		st->order_att[i] = mr_bind_item(st, desc, &c->order[i].expr, "ORDER BY");

	st->time_att = -1;
	if (c->has_within || c->has_absence)
	{
		Form_pg_attribute a;

		if (c->norder == 0)
			ereport(ERROR,
					(errcode(ERRCODE_SYNTAX_ERROR),
					 errmsg("WITHIN and FOLLOWED BY NO need an ORDER BY event time column")));
		a = TupleDescAttr(desc, st->order_att[0]);
		if (a->atttypid != TIMESTAMPTZOID && a->atttypid != TIMESTAMPOID)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("WITHIN and FOLLOWED BY NO need a first ORDER BY column of type timestamp or timestamptz"),
					 errdetail("\"%s\" has type %s.", NameStr(a->attname),
							   format_type_be(a->atttypid))));
		if (c->order[0].desc)
			ereport(ERROR,
					(errcode(ERRCODE_SYNTAX_ERROR),
					 errmsg("WITHIN and FOLLOWED BY NO need the event time in ascending order"),
					 errdetail("ORDER BY \"%s\" DESC at position %d.", NameStr(a->attname),
							   mr_pos(st, c->order[0].expr.start))));
		st->time_att = st->order_att[0];
		if (a->atttypid == TIMESTAMPTZOID)
			st->complete_until = DatumGetInt64(st->complete_until_tz);
		else
			st->complete_until = DatumGetInt64(DirectFunctionCall1(timestamptz_timestamp,
																   st->complete_until_tz));
	}
}

static bool
mr_is_input_output(MrSrf *st, int att)
{
	int			i;

	if (st->clause->rows_per_match != MR_ONE_ROW)
		return true;
	for (i = 0; i < st->npart; i++)
		if (st->part_att[i] == att)
			return true;
	return false;
}

/*
 * An output value of type `have` declared as oa's type: PostgreSQL's
 * assignment cast (as INSERT would apply), or NULL if there is none.
 */
static ExprState *
mr_coercion(MrSrf *st, Oid have, Form_pg_attribute oa)
{
	Param	   *p = makeNode(Param);
	Node	   *n;

	p->paramkind = PARAM_EXTERN;
	p->paramid = 1;
	p->paramtype = have;
	p->paramtypmod = -1;
	p->paramcollid = get_typcollation(have);
	p->location = -1;
	n = coerce_to_target_type(NULL, (Node *) p, have, oa->atttypid, oa->atttypmod,
							  COERCION_ASSIGNMENT, COERCE_IMPLICIT_CAST, -1);
	if (n == NULL)
		return NULL;
	if (st->coerce_econtext == NULL)
	{
		st->coerce_econtext = CreateStandaloneExprContext();
		st->coerce_econtext->ecxt_param_list_info = makeParamList(1);
	}
	return ExecInitExpr((Expr *) n, NULL);
}

/* The caller's columns, by name: input columns (as the mode allows), measures. */
static void
mr_bind_output(MrSrf *st, TupleDesc desc)
{
	MrClause   *c = st->clause;
	int			nout = st->outdesc->natts;
	int			i,
				m;

	/* a measure must not share a name with an output input column */
	for (m = 0; m < c->nmeasures; m++)
	{
		int			att = srf_find_column(desc, c->measures[m].alias, MR_FNAME);

		if (att >= 0 && mr_is_input_output(st, att))
			ereport(ERROR,
					(errcode(ERRCODE_DUPLICATE_COLUMN),
					 errmsg("measure \"%s\" has the name of an input column", c->measures[m].alias),
					 errdetail("The measure is at position %d.", mr_pos(st, c->measures[m].alias_pos)),
					 errhint("Rename the measure.")));
	}

	st->out = palloc0(sizeof(MrOutCol) * Max(nout, 1));
	st->values = palloc(sizeof(Datum) * Max(nout, 1));
	st->nulls = palloc(sizeof(bool) * Max(nout, 1));
	st->measure_values = palloc(sizeof(Datum) * Max(c->nmeasures, 1));
	st->measure_nulls = palloc(sizeof(bool) * Max(c->nmeasures, 1));
	for (i = 0; i < nout; i++)
	{
		Form_pg_attribute oa = TupleDescAttr(st->outdesc, i);
		const char *name = NameStr(oa->attname);
		MrOutCol   *oc = &st->out[i];
		Oid			have = InvalidOid;
		int32		typmod = -1;
		bool		other_type;

		for (m = 0; m < c->nmeasures; m++)
			if (strcmp(c->measures[m].alias, name) == 0)
				break;
		if (m < c->nmeasures)
		{
			oc->measure = true;
			oc->index = m;
			have = mr_exprs_measure_type(st->exprs, m, &typmod);
		}
		else
		{
			int			att = srf_find_column(desc, name, MR_FNAME);

			if (att < 0 || !mr_is_input_output(st, att))
				ereport(ERROR,
						(errcode(ERRCODE_UNDEFINED_COLUMN),
						 errmsg("%s: column \"%s\" of the column definition list is not an output column",
								MR_FNAME, name),
						 errdetail("Available columns: %s.",
								   mr_describe(desc, st, c->rows_per_match != MR_ONE_ROW)),
						 c->rows_per_match == MR_ONE_ROW && att >= 0 ?
						 errhint("ONE ROW PER MATCH outputs the PARTITION BY columns and the measures; ALL ROWS PER MATCH outputs every input column.") : 0));
			oc->index = att;
			st->output_reads_input = true;
			have = TupleDescAttr(desc, att)->atttypid;
			typmod = TupleDescAttr(desc, att)->atttypmod;
			oc->detoast = TupleDescAttr(desc, att)->attlen == -1;
		}
		oc->type = have;
		other_type = have != oa->atttypid && !IsBinaryCoercible(have, oa->atttypid);
		if (other_type || (oa->atttypmod >= 0 && oa->atttypmod != typmod))
			oc->coerce = mr_coercion(st, have, oa);
		if (other_type && oc->coerce == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("%s: column \"%s\" has type %s, but the column definition list says %s",
							MR_FNAME, name, format_type_be(have), format_type_be(oa->atttypid)),
					 errdetail("Available columns: %s.",
							   mr_describe(desc, st, c->rows_per_match != MR_ONE_ROW)),
					 errhint("A type the value can be assigned to works too (for example integer for a bigint count).")));
	}
}

static bool mr_fetch(void *arg, int64 row, TupleTableSlot *slot);
static bool mr_fetch_value(void *arg, int64 row, int attno, Datum *value, bool *isnull);
static bool mr_define_hook(void *arg, int var, int64 row, int64 start,
						   const int32 *labels, int64 match_number);
static void mr_emit_hook(void *arg, const MrResult *r);

/*
 * Bind the input's columns (desc: the input query's row description,
 * widths: their estimated widths) and set up the expressions, the row
 * store and the matcher.
 */
static void
mr_prepare(MrSrf *st, TupleDesc desc, const int32 *widths)
{
	MemoryContext old = MemoryContextSwitchTo(st->callcxt);

	st->indesc = CreateTupleDescCopy(desc);
	mr_bind_keys(st, st->indesc);
	st->rows = mr_rowstore_create(st->indesc, work_mem);
	st->exprs = mr_exprs_compile(st->clause, st->indesc, mr_fetch, st);
	mr_exprs_set_fetch_value(st->exprs, mr_fetch_value);
	mr_bind_output(st, st->indesc);
	st->outslot = MakeSingleTupleTableSlot(st->indesc, &TTSOpsVirtual);
	st->key = palloc(sizeof(Datum) * Max(st->npart, 1));
	st->keynull = palloc(sizeof(bool) * Max(st->npart, 1));
	/* NEXT in DEFINE, and in MEASURES of a match being emitted */
	st->lookahead = Max(mr_exprs_define_lookahead(st->exprs),
						mr_exprs_measure_lookahead(st->exprs));
	st->lookbehind = mr_exprs_lookbehind(st->exprs);
	st->times_cap = 64;
	st->times = palloc(sizeof(int64) * st->times_cap);
	st->labels_cap = 64;
	st->labels = palloc(sizeof(int32) * st->labels_cap);

	st->hooks.define = mr_define_hook;
	st->hooks.emit = mr_emit_hook;
	st->hooks.arg = st;
	if (!st->backtrack)
		st->matcher = mr_matcher_create(st->clause, st->prog,
										mr_exprs_history_free(st->exprs),
										as_max_partial_matches, &st->hooks);
	mr_needed_columns(st, widths);
	MemoryContextSwitchTo(old);
}

/* The sorted query must send the rows mr_prepare bound to. */
static void
mr_startup(DestReceiver *self, int operation, TupleDesc typeinfo)
{
	MrSrf	   *st = (MrSrf *) self;
	int			i;

	if (typeinfo->natts != st->indesc->natts)
		elog(ERROR, "match_recognize: the sorted input has %d columns, not %d",
			 typeinfo->natts, st->indesc->natts);
	for (i = 0; i < typeinfo->natts; i++)
		if (st->needed[i] &&
			TupleDescAttr(typeinfo, i)->atttypid != TupleDescAttr(st->indesc, i)->atttypid)
			elog(ERROR, "match_recognize: column %d of the sorted input changed type", i + 1);
}

/* ----------------------------------------------------------- the rows */

static bool
mr_fetch(void *arg, int64 row, TupleTableSlot *slot)
{
	MrSrf	   *st = (MrSrf *) arg;

	return mr_rowstore_fetch(st->rows, row, slot);
}

static bool
mr_fetch_value(void *arg, int64 row, int attno, Datum *value, bool *isnull)
{
	MrSrf	   *st = (MrSrf *) arg;

	return mr_rowstore_value(st->rows, row, attno, value, isnull);
}

/* Does the slot's row belong to another partition than the last one? */
static bool
mr_key_changed(MrSrf *st, TupleTableSlot *slot)
{
	int			i;

	if (!st->have_key)
		return true;
	for (i = 0; i < st->npart; i++)
	{
		bool		isnull;
		Datum		v = slot_getattr(slot, st->part_att[i] + 1, &isnull);

		if (isnull != st->keynull[i])
			return true;
		if (!isnull &&
			!DatumGetBool(FunctionCall2Coll(&st->part_eq[i], st->part_coll[i],
											st->key[i], v)))
			return true;
	}
	return false;
}

/* Remember the slot's partition key. */
static void
mr_store_key(MrSrf *st, TupleTableSlot *slot)
{
	MemoryContext old = MemoryContextSwitchTo(st->keycxt);
	int			i;

	MemoryContextReset(st->keycxt);
	for (i = 0; i < st->npart; i++)
	{
		Form_pg_attribute a = TupleDescAttr(st->indesc, st->part_att[i]);
		Datum		v = slot_getattr(slot, st->part_att[i] + 1, &st->keynull[i]);

		st->key[i] = st->keynull[i] ? (Datum) 0 : datumCopy(v, a->attbyval, a->attlen);
	}
	st->have_key = true;
	MemoryContextSwitchTo(old);
}

/* Remember a row's event time until it is pushed (or for the backtracker). */
static void
mr_keep_time(MrSrf *st, TupleTableSlot *slot)
{
	int64		t = 0;

	if (st->time_att >= 0)
	{
		bool		isnull;
		Datum		v = slot_getattr(slot, st->time_att + 1, &isnull);

		if (isnull)
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s: the event time column \"%s\" is NULL in a row",
							MR_FNAME, NameStr(TupleDescAttr(st->indesc, st->time_att)->attname)),
					 errhint("WITHIN and FOLLOWED BY NO need an event time in every row; filter NULL times out in the input query.")));
		t = DatumGetInt64(v);
	}
	if (st->ntimes == st->times_cap)
	{
		/* drop pushed entries first, then grow */
		int64		keep = st->backtrack ? 0 : st->pushed - st->times_base;

		if (keep > 0)
		{
			memmove(st->times, st->times + keep, sizeof(int64) * (st->ntimes - keep));
			st->ntimes -= keep;
			st->times_base += keep;
		}
		if (st->ntimes == st->times_cap)
		{
			st->times_cap *= 2;
			st->times = repalloc_huge(st->times, sizeof(int64) * st->times_cap);
		}
	}
	st->times[st->ntimes++] = t;
}

static void
mr_push_one(MrSrf *st)
{
	int64		oldest;

	mr_matcher_push(st->matcher, st->times[st->pushed - st->times_base]);
	st->pushed++;
	oldest = mr_matcher_oldest_row(st->matcher) - st->lookbehind;
	if (oldest > 0)
		mr_rowstore_release_before(st->rows, oldest);
}

static bool
mr_receive(TupleTableSlot *slot, DestReceiver *self)
{
	MrSrf	   *st = (MrSrf *) self;
	MemoryContext old = MemoryContextSwitchTo(st->callcxt);
	int64		row;

	CHECK_FOR_INTERRUPTS();
	if (mr_key_changed(st, slot))
	{
		if (st->have_key)
			mr_end_partition(st);
		mr_store_key(st, slot);
	}
	row = mr_rowstore_append(st->rows, slot);
	if (mr_rowstore_generation(st->rows) != st->rows_generation)
	{
		st->rows_generation = mr_rowstore_generation(st->rows);
		mr_exprs_rows_moved(st->exprs);
	}
	mr_keep_time(st, slot);
	if (!st->backtrack)
	{
		/* conditions at this row read it straight from the slot */
		mr_exprs_set_current(st->exprs, row, slot);
		while (st->pushed + st->lookahead < mr_rowstore_count(st->rows))
			mr_push_one(st);
		mr_exprs_set_current(st->exprs, -1, NULL);
	}
	MemoryContextSwitchTo(old);
	return true;
}

static void
mr_end_partition(MrSrf *st)
{
	if (st->backtrack)
		mr_backtrack_partition(st->clause, st->prog, mr_rowstore_count(st->rows),
							   st->time_att >= 0 ? st->times : NULL, &st->hooks);
	else
	{
		while (st->pushed < mr_rowstore_count(st->rows))
			mr_push_one(st);
		mr_matcher_finish(st->matcher, st->time_att >= 0 ? st->complete_until : PG_INT64_MAX);
	}
	/* the next append sees the store's new generation (mr_receive) */
	mr_rowstore_reset(st->rows);
	st->pushed = 0;
	st->ntimes = 0;
	st->times_base = 0;
}

/* ------------------------------------------------------------- hooks */

static bool
mr_define_hook(void *arg, int var, int64 row, int64 start,
			   const int32 *labels, int64 match_number)
{
	MrSrf	   *st = (MrSrf *) arg;
	MrMatchView v;
	MemoryContext old;
	bool		result;

	if (!mr_exprs_has_define(st->exprs, var))
		return true;
	if (labels == NULL)
		start = row;
	v.start = start;
	v.nrows = row - start + 1;
	if (v.nrows > st->labels_cap)
	{
		while (v.nrows > st->labels_cap)
			st->labels_cap *= 2;
		st->labels = repalloc_huge(st->labels, sizeof(int32) * st->labels_cap);
	}
	if (labels != NULL && v.nrows > 1)
		memcpy(st->labels, labels, sizeof(int32) * (v.nrows - 1));
	st->labels[v.nrows - 1] = var;
	v.labels = st->labels;
	v.current = row;
	v.known_rows = mr_rowstore_count(st->rows);
	v.match_number = match_number;
	v.timeout = false;
	v.deadline = 0;

	old = MemoryContextSwitchTo(st->evalcxt);
	result = mr_exprs_define(st->exprs, var, &v);
	MemoryContextSwitchTo(old);
	if (!st->evalcxt->isReset)
		MemoryContextReset(st->evalcxt);
	return result;
}

/*
 * One output row: input columns from partition row `row`, measures over
 * the view (all NULL without one).
 */
static void
mr_output(MrSrf *st, int64 row, const MrMatchView *view)
{
	MemoryContext old = MemoryContextSwitchTo(st->evalcxt);
	int			i;

	if (st->output_reads_input && !mr_rowstore_fetch(st->rows, row, st->outslot))
		elog(ERROR, "match_recognize: row " INT64_FORMAT " of the partition is no longer held", row);
	for (i = 0; i < st->clause->nmeasures; i++)
	{
		st->measure_nulls[i] = true;
		st->measure_values[i] = (Datum) 0;
		if (view != NULL)
			st->measure_values[i] = mr_exprs_measure(st->exprs, i, view, &st->measure_nulls[i]);
	}
	for (i = 0; i < st->outdesc->natts; i++)
	{
		MrOutCol   *oc = &st->out[i];

		if (oc->measure)
		{
			st->values[i] = st->measure_values[oc->index];
			st->nulls[i] = st->measure_nulls[oc->index];
		}
		else
		{
			Datum		v = slot_getattr(st->outslot, oc->index + 1, &st->nulls[i]);

			st->values[i] = srf_store_value(v, st->nulls[i], oc->detoast);
		}
	}
	for (i = 0; i < st->outdesc->natts; i++)
	{
		MrOutCol   *oc = &st->out[i];
		ParamExternData *prm;

		if (oc->coerce == NULL)
			continue;
		prm = &st->coerce_econtext->ecxt_param_list_info->params[0];
		prm->value = st->values[i];
		prm->isnull = st->nulls[i];
		prm->pflags = 0;
		prm->ptype = oc->type;
		st->values[i] = ExecEvalExpr(oc->coerce, st->coerce_econtext, &st->nulls[i]);
	}
	tuplestore_putvalues(st->tstore, st->outdesc, st->values, st->nulls);
	if (st->coerce_econtext)
		ResetExprContext(st->coerce_econtext);
	ExecClearTuple(st->outslot);
	MemoryContextSwitchTo(old);
	MemoryContextReset(st->evalcxt);
}

static void
mr_emit_hook(void *arg, const MrResult *r)
{
	MrSrf	   *st = (MrSrf *) arg;
	MrRowsPerMatch mode = st->clause->rows_per_match;
	MrMatchView v;
	int64		i;

	CHECK_FOR_INTERRUPTS();
	if (r->kind == MR_RESULT_UNMATCHED)
	{
		if (mode == MR_ALL_ROWS_WITH_UNMATCHED)
			mr_output(st, r->start, NULL);
		return;
	}

	v.start = r->start;
	v.nrows = r->end - r->start;
	v.labels = r->vars;
	v.known_rows = mr_rowstore_count(st->rows);
	v.match_number = r->match_number;
	v.timeout = r->kind == MR_RESULT_TIMEOUT;
	v.deadline = r->deadline;

	if (v.nrows == 0)
	{
		/* an empty match: one row (input columns of its start row), nothing mapped */
		if (mode == MR_ALL_ROWS_OMIT_EMPTY)
			return;
		v.current = -1;
		mr_output(st, r->start, &v);
		return;
	}
	if (mode == MR_ONE_ROW)
	{
		v.current = r->end - 1;
		mr_output(st, r->end - 1, &v);
		return;
	}
	for (i = r->start; i < r->end; i++)
	{
		if (r->excluded[i - r->start])
			continue;
		v.current = i;
		mr_output(st, i, &v);
	}
}
