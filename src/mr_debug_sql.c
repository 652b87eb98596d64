/*-------------------------------------------------------------------------
 *
 * mr_debug_sql.c
 *	  Internal SQL functions over the MATCH_RECOGNIZE parser and matchers,
 *	  for tests and diagnosis:
 *
 *	  _mr_parse(clause) -> jsonb: the parsed clause, stable and readable;
 *	  _mr_program(clause) -> (pc, instruction): the compiled pattern;
 *	  _mr_match(clause, rows text[]) -> (match_number, row_index,
 *	  classifier): the linear matcher over one partition whose DEFINE
 *	  results are given: element i lists the variables true at row i
 *	  ('A B', '' ...);
 *	  _mr_match_backtrack(clause, rows): the same with the reference
 *	  backtracking matcher.
 *
 * Names that are not primary variables of the pattern are ignored (such a
 * variable cannot be true).  row_index is 1-based like the array; it is NULL for an empty match, and
 * match_number is NULL for an unmatched row (ALL ROWS PER MATCH WITH
 * UNMATCHED ROWS).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "parser/scansup.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/jsonb.h"
#include "utils/json.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

#include "mr_clause.h"
#include "mr_matcher.h"
#include "mr_pattern.h"

PG_FUNCTION_INFO_V1(mr_parse_sql);
PG_FUNCTION_INFO_V1(mr_program_sql);
PG_FUNCTION_INFO_V1(mr_match_sql);
PG_FUNCTION_INFO_V1(mr_match_backtrack_sql);
PG_FUNCTION_INFO_V1(mr_match_stream_sql);

/* ------------------------------------------------------------ _mr_parse */

static void
json_key(StringInfo buf, bool *first, const char *key)
{
	if (!*first)
		appendStringInfoString(buf, ", ");
	*first = false;
	escape_json(buf, key);
	appendStringInfoString(buf, ": ");
}

static void
json_str(StringInfo buf, const char *s)
{
	if (s)
		escape_json(buf, s);
	else
		appendStringInfoString(buf, "null");
}

static void
json_expr(StringInfo buf, const MrClause *c, const MrExpr *e, bool *first)
{
	json_key(buf, first, "expr");
	json_str(buf, e->text);
	json_key(buf, first, "pos");
	appendStringInfo(buf, "%d", mr_char_position(c->text, e->start));
}

static void
json_node(StringInfo buf, const MrClause *c, const MrNode *n)
{
	static const char *const kinds[] = {
		"var", "concat", "alt", "quant", "permute", "exclude", "start", "end", "empty"
	};
	bool		first = true;
	int			i;

	check_stack_depth();
	appendStringInfoChar(buf, '{');
	json_key(buf, &first, "type");
	json_str(buf, kinds[n->kind]);
	switch (n->kind)
	{
		case MR_NODE_VAR:
			json_key(buf, &first, "var");
			json_str(buf, c->vars[n->var].label);
			break;
		case MR_NODE_QUANT:
			json_key(buf, &first, "min");
			appendStringInfo(buf, "%d", n->min);
			json_key(buf, &first, "max");
			if (n->max < 0)
				appendStringInfoString(buf, "null");
			else
				appendStringInfo(buf, "%d", n->max);
			json_key(buf, &first, "greedy");
			appendStringInfoString(buf, n->greedy ? "true" : "false");
			break;
		default:
			break;
	}
	if (n->nchildren > 0)
	{
		json_key(buf, &first, "items");
		appendStringInfoChar(buf, '[');
		for (i = 0; i < n->nchildren; i++)
		{
			if (i > 0)
				appendStringInfoString(buf, ", ");
			json_node(buf, c, n->children[i]);
		}
		appendStringInfoChar(buf, ']');
	}
	appendStringInfoChar(buf, '}');
}

static void
json_interval(StringInfo buf, const MrClause *c, const MrInterval *iv, bool *first)
{
	struct pg_itm itm;
	char		str[MAXDATELEN + 1];

	/* ISO 8601, whatever the session's IntervalStyle */
	interval2itm(iv->value, &itm);
	EncodeInterval(&itm, INTSTYLE_ISO_8601, str);
	json_expr(buf, c, &iv->expr, first);
	json_key(buf, first, "value");
	json_str(buf, str);
}

static char *
clause_json(const MrClause *c)
{
	StringInfoData buf;
	bool		first = true;
	bool		f;
	int			i,
				j;
	static const char *const rpm[] = {
		"one row", "all rows show empty", "all rows omit empty", "all rows with unmatched"
	};
	static const char *const skips[] = {
		"past last row", "to next row", "to first", "to last"
	};
	static const char *const nulls[] = {"default", "first", "last"};
	static const char *const sems[] = {"default", "running", "final"};

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');

	json_key(&buf, &first, "partition_by");
	appendStringInfoChar(&buf, '[');
	for (i = 0; i < c->npartition; i++)
	{
		f = true;
		appendStringInfoString(&buf, i ? ", {" : "{");
		json_expr(&buf, c, &c->partition[i], &f);
		appendStringInfoChar(&buf, '}');
	}
	appendStringInfoChar(&buf, ']');

	json_key(&buf, &first, "order_by");
	appendStringInfoChar(&buf, '[');
	for (i = 0; i < c->norder; i++)
	{
		f = true;
		appendStringInfoString(&buf, i ? ", {" : "{");
		json_expr(&buf, c, &c->order[i].expr, &f);
		json_key(&buf, &f, "desc");
		appendStringInfoString(&buf, c->order[i].desc ? "true" : "false");
		json_key(&buf, &f, "nulls");
		json_str(&buf, nulls[c->order[i].nulls]);
		appendStringInfoChar(&buf, '}');
	}
	appendStringInfoChar(&buf, ']');

	json_key(&buf, &first, "measures");
	appendStringInfoChar(&buf, '[');
	for (i = 0; i < c->nmeasures; i++)
	{
		f = true;
		appendStringInfoString(&buf, i ? ", {" : "{");
		json_key(&buf, &f, "name");
		json_str(&buf, c->measures[i].alias);
		json_expr(&buf, c, &c->measures[i].expr, &f);
		json_key(&buf, &f, "semantics");
		json_str(&buf, sems[c->measures[i].sem]);
		json_key(&buf, &f, "has_final");
		appendStringInfoString(&buf, c->measures[i].has_final ? "true" : "false");
		appendStringInfoChar(&buf, '}');
	}
	appendStringInfoChar(&buf, ']');

	json_key(&buf, &first, "rows_per_match");
	json_str(&buf, rpm[c->rows_per_match]);
	json_key(&buf, &first, "skip");
	json_str(&buf, skips[c->skip]);
	json_key(&buf, &first, "skip_to");
	json_str(&buf, c->skip_var >= 0 ? c->vars[c->skip_var].label : NULL);

	json_key(&buf, &first, "pattern");
	json_str(&buf, mr_pattern_deparse(c, c->pattern));
	json_key(&buf, &first, "pattern_tree");
	json_node(&buf, c, c->pattern);

	json_key(&buf, &first, "variables");
	appendStringInfoChar(&buf, '[');
	for (i = 0; i < c->nprimary; i++)
	{
		f = true;
		appendStringInfoString(&buf, i ? ", {" : "{");
		json_key(&buf, &f, "name");
		json_str(&buf, c->vars[i].name);
		json_key(&buf, &f, "label");
		json_str(&buf, c->vars[i].label);
		json_key(&buf, &f, "in_pattern");
		appendStringInfoString(&buf, c->vars[i].in_pattern ? "true" : "false");
		json_key(&buf, &f, "defined");
		appendStringInfoString(&buf, c->vars[i].define >= 0 ? "true" : "false");
		appendStringInfoChar(&buf, '}');
	}
	appendStringInfoChar(&buf, ']');

	json_key(&buf, &first, "subsets");
	appendStringInfoChar(&buf, '[');
	for (i = c->nprimary; i < c->nvars; i++)
	{
		f = true;
		appendStringInfoString(&buf, i > c->nprimary ? ", {" : "{");
		json_key(&buf, &f, "name");
		json_str(&buf, c->vars[i].name);
		json_key(&buf, &f, "label");
		json_str(&buf, c->vars[i].label);
		json_key(&buf, &f, "members");
		appendStringInfoChar(&buf, '[');
		for (j = 0; j < c->vars[i].nmembers; j++)
		{
			if (j > 0)
				appendStringInfoString(&buf, ", ");
			json_str(&buf, c->vars[c->vars[i].members[j]].label);
		}
		appendStringInfoString(&buf, "]}");
	}
	appendStringInfoChar(&buf, ']');

	json_key(&buf, &first, "define");
	appendStringInfoChar(&buf, '[');
	for (i = 0; i < c->ndefines; i++)
	{
		f = true;
		appendStringInfoString(&buf, i ? ", {" : "{");
		json_key(&buf, &f, "var");
		json_str(&buf, c->vars[c->defines[i].var].label);
		json_expr(&buf, c, &c->defines[i].cond, &f);
		appendStringInfoChar(&buf, '}');
	}
	appendStringInfoChar(&buf, ']');

	json_key(&buf, &first, "within");
	if (c->has_within)
	{
		f = true;
		appendStringInfoChar(&buf, '{');
		json_interval(&buf, c, &c->within, &f);
		json_key(&buf, &f, "emit_timeouts");
		appendStringInfoString(&buf, c->emit_timeouts ? "true" : "false");
		appendStringInfoChar(&buf, '}');
	}
	else
		appendStringInfoString(&buf, "null");

	json_key(&buf, &first, "followed_by_no");
	if (c->has_absence)
	{
		f = true;
		appendStringInfoChar(&buf, '{');
		json_key(&buf, &f, "var");
		json_str(&buf, c->absent_var >= 0 ? c->vars[c->absent_var].label : NULL);
		json_interval(&buf, c, &c->absent_for, &f);
		appendStringInfoChar(&buf, '}');
	}
	else
		appendStringInfoString(&buf, "null");

	appendStringInfoChar(&buf, '}');
	return buf.data;
}

Datum
mr_parse_sql(PG_FUNCTION_ARGS)
{
	char	   *clause_text = text_to_cstring(PG_GETARG_TEXT_PP(0));
	MrClause   *c = mr_parse_clause(clause_text);

	PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(clause_json(c))));
}

/* ---------------------------------------------------------- _mr_program */

Datum
mr_program_sql(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	char	   *clause_text = text_to_cstring(PG_GETARG_TEXT_PP(0));
	MrClause   *c;
	MrProgram  *prog;
	int			pc;

	InitMaterializedSRF(fcinfo, 0);
	c = mr_parse_clause(clause_text);
	prog = mr_compile_pattern(c);
	for (pc = 0; pc < prog->ninstr; pc++)
	{
		Datum		values[2];
		bool		nulls[2] = {false, false};

		values[0] = Int32GetDatum(pc);
		values[1] = CStringGetTextDatum(mr_instr_text(c, prog, pc));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/* ------------------------------------------------------------ _mr_match */

/*
 * DEFINE results given as a text[]: element i lists the variables true at
 * row i, and "v/u" items: v is true at row i if the row before it in the
 * match is labelled u (a condition on the label history).
 */
typedef struct MrGivenRows
{
	MrRows		bits;
	int		   *ncond;			/* per row */
	int32	  **cond;			/* per row: ncond pairs (v, u) */
	bool		has_cond;
} MrGivenRows;

/* One name at *pp (quoted or folded), advancing *pp past it. */
static char *
read_name(char **pp, int row)
{
	char	   *p = *pp;
	char	   *start = p;
	char	   *name;

	if (*p == '"')
	{
		StringInfoData b;

		initStringInfo(&b);
		for (p++;; p++)
		{
			if (*p == '\0')
				ereport(ERROR,
						(errcode(ERRCODE_SYNTAX_ERROR),
						 errmsg("row %d of the input has an unterminated quoted name", row + 1)));
			if (*p == '"')
			{
				if (p[1] != '"')
					break;
				p++;
			}
			appendStringInfoChar(&b, *p);
		}
		p++;
		name = b.data;
	}
	else
	{
		while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r' &&
			   *p != ',' && *p != '"' && *p != '/')
			p++;
		name = downcase_identifier(start, p - start, false, false);
	}
	*pp = p;
	return name;
}

/* The primary variable called name, or -1 (such a variable is never true). */
static int
primary_var(const MrClause *c, const char *name)
{
	int			v;

	for (v = 0; v < c->nprimary; v++)
		if (strcmp(c->vars[v].name, name) == 0)
			return v;
	return -1;
}

static void
given_rows(const MrClause *c, ArrayType *arr, bool allow_cond, MrGivenRows *g)
{
	Datum	   *elems;
	bool	   *enulls;
	int			n,
				i;
	uint64	   *bits;

	deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &elems, &enulls, &n);
	g->bits.nrows = n;
	g->bits.words = Max(1, (c->nprimary + 63) / 64);
	bits = palloc_extended(sizeof(uint64) * g->bits.words * (size_t) Max(n, 1),
						   MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	g->ncond = palloc0(sizeof(int) * Max(n, 1));
	g->cond = palloc0(sizeof(int32 *) * Max(n, 1));
	g->has_cond = false;
	for (i = 0; i < n; i++)
	{
		char	   *p;
		int			cap = 0;

		if (enulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("row %d of the input is NULL", i + 1),
					 errhint("List the variables true at a row, '' for none.")));
		p = text_to_cstring(DatumGetTextPP(elems[i]));
		for (;;)
		{
			int			v,
						u;

			while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == ',')
				p++;
			if (*p == '\0')
				break;
			v = primary_var(c, read_name(&p, i));
			if (*p != '/')
			{
				if (v >= 0)
					bits[(size_t) i * g->bits.words + v / 64] |= UINT64CONST(1) << (v % 64);
				continue;
			}
			p++;
			u = primary_var(c, read_name(&p, i));
			if (!allow_cond)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("row %d of the input has a condition on the previous label", i + 1),
						 errhint("Items \"v/u\" work with _mr_match_stream and _mr_match_backtrack.")));
			g->has_cond = true;
			if (v < 0 || u < 0)
				continue;
			if (g->ncond[i] == cap)
			{
				cap = Max(4, 2 * cap);
				g->cond[i] = g->cond[i] ? repalloc(g->cond[i], sizeof(int32) * 2 * cap)
					: palloc(sizeof(int32) * 2 * cap);
			}
			g->cond[i][2 * g->ncond[i]] = v;
			g->cond[i][2 * g->ncond[i] + 1] = u;
			g->ncond[i]++;
		}
	}
	g->bits.bits = bits;
}

typedef struct MrOut
{
	const MrClause *clause;
	const MrGivenRows *given;
	uint64	   *asked;			/* history-free DEFINE asked at (row, var) */
	ReturnSetInfo *rsinfo;
	bool		with_status;	/* a fourth column */
	const char *status;			/* its value for the rows being output */
} MrOut;

/* The define hook over given rows. */
static bool
given_define(void *arg, int var, int64 row, int64 start, const int32 *labels,
			 int64 match_number)
{
	MrOut	   *out = arg;
	const MrGivenRows *g = out->given;
	int			i;

	/* the push matcher caches history-free answers: never asked twice */
	if (labels == NULL)
	{
		size_t		w = (size_t) row * g->bits.words + var / 64;
		uint64		bit = UINT64CONST(1) << (var % 64);

		if (out->asked[w] & bit)
			elog(ERROR, "DEFINE of %s at row " INT64_FORMAT " asked twice",
				 out->clause->vars[var].label, row + 1);
		out->asked[w] |= bit;
	}

	if (mr_row_has(&g->bits, (int) row, var))
		return true;
	for (i = 0; i < g->ncond[row]; i++)
		if (g->cond[row][2 * i] == var && row > start && labels != NULL &&
			labels[row - start - 1] == g->cond[row][2 * i + 1])
			return true;
	return false;
}

/*
 * The times argument argno: NULL if it is NULL (an error if required),
 * else one time per row, none NULL.
 */
static int64 *
given_times(FunctionCallInfo fcinfo, int argno, int nrows, bool required)
{
	Datum	   *elems;
	bool	   *enulls;
	int			n,
				i;
	int64	   *times;

	if (PG_ARGISNULL(argno))
	{
		if (required)
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("times are required with WITHIN or FOLLOWED BY NO")));
		return NULL;
	}
	deconstruct_array(PG_GETARG_ARRAYTYPE_P(argno), TIMESTAMPTZOID, sizeof(TimestampTz),
					  true, TYPALIGN_DOUBLE, &elems, &enulls, &n);
	if (n != nrows)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("times has %d elements for %d rows", n, nrows)));
	times = palloc(sizeof(int64) * Max(n, 1));
	for (i = 0; i < n; i++)
	{
		if (enulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("time of row %d is NULL", i + 1)));
		times[i] = DatumGetTimestampTz(elems[i]);
	}
	return times;
}

/* An output row (MrEmitFn). */
static void
emit_row(void *arg, int64 match_number, int row, int var)
{
	MrOut	   *out = arg;
	Datum		values[4];
	bool		nulls[4] = {false, false, false, false};

	if (match_number > 0)
		values[0] = Int32GetDatum((int32) match_number);
	else
		nulls[0] = true;
	if (row >= 0)
		values[1] = Int32GetDatum(row + 1);
	else
		nulls[1] = true;
	if (var >= 0)
		values[2] = CStringGetTextDatum(out->clause->vars[var].label);
	else
		nulls[2] = true;
	if (out->status)
		values[3] = CStringGetTextDatum(out->status);
	else
		nulls[3] = true;
	tuplestore_putvalues(out->rsinfo->setResult, out->rsinfo->setDesc, values, nulls);
}

/* A matcher result as output rows, with its status. */
static void
emit_result(void *arg, const MrResult *r)
{
	MrOut	   *out = arg;

	if (out->with_status)
		out->status = r->kind == MR_RESULT_TIMEOUT ? "TIMEOUT" :
			r->kind == MR_RESULT_MATCH ? "MATCH" : NULL;
	mr_result_rows(out->clause, r, emit_row, out);
}

Datum
mr_match_sql(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	MrClause   *c;
	MrProgram  *prog;
	MrGivenRows given;
	MrOut		out = {0};

	InitMaterializedSRF(fcinfo, 0);
	c = mr_parse_clause(text_to_cstring(PG_GETARG_TEXT_PP(0)));
	prog = mr_compile_pattern(c);
	given_rows(c, PG_GETARG_ARRAYTYPE_P(1), false, &given);
	out.clause = c;
	out.rsinfo = rsinfo;
	mr_run(c, prog, &given.bits, emit_row, &out);
	return (Datum) 0;
}

/* Parse and compile the clause and read the rows: the common start. */
static void
given_input(FunctionCallInfo fcinfo, MrClause **c, MrProgram **prog, MrGivenRows *given,
			MrOut *out, MrMatcherHooks *hooks)
{
	*c = mr_parse_clause(text_to_cstring(PG_GETARG_TEXT_PP(0)));
	*prog = mr_compile_pattern(*c);
	given_rows(*c, PG_GETARG_ARRAYTYPE_P(1), true, given);
	memset(out, 0, sizeof(*out));
	out->clause = *c;
	out->given = given;
	out->asked = palloc_extended(sizeof(uint64) * given->bits.words * (size_t) Max(given->bits.nrows, 1),
								 MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	out->rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	hooks->define = given_define;
	hooks->emit = emit_result;
	hooks->arg = out;
}

Datum
mr_match_backtrack_sql(PG_FUNCTION_ARGS)
{
	MrClause   *c;
	MrProgram  *prog;
	MrGivenRows given;
	MrOut		out;
	MrMatcherHooks hooks;

	InitMaterializedSRF(fcinfo, 0);
	given_input(fcinfo, &c, &prog, &given, &out, &hooks);
	/* as _mr_match: without times, no event-time extensions */
	c->has_within = false;
	c->emit_timeouts = false;
	c->has_absence = false;
	mr_backtrack_partition(c, prog, given.bits.nrows, NULL, &hooks);
	return (Datum) 0;
}

/* ----------------------------------------------------- _mr_match_stream */

Datum
mr_match_stream_sql(PG_FUNCTION_ARGS)
{
	MrClause   *c;
	MrProgram  *prog;
	MrGivenRows given;
	MrOut		out;
	MrMatcherHooks hooks;
	int64	   *times;
	TimestampTz until;
	bool		roundtrip = !PG_ARGISNULL(4) && PG_GETARG_BOOL(4);
	int			max_threads = PG_ARGISNULL(5) ? 0 : PG_GETARG_INT32(5);
	bool		history_free = PG_ARGISNULL(6) || PG_GETARG_BOOL(6);
	bool		watermarks = !PG_ARGISNULL(7) && PG_GETARG_BOOL(7);
	bool		reference = !PG_ARGISNULL(8) && PG_GETARG_BOOL(8);
	MrMatcher  *m;
	int			i;

	InitMaterializedSRF(fcinfo, 0);
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		return (Datum) 0;
	if (PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("complete_until must not be NULL")));
	until = PG_GETARG_TIMESTAMPTZ(3);
	given_input(fcinfo, &c, &prog, &given, &out, &hooks);
	out.with_status = true;
	if (given.has_cond && history_free)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("conditions on the previous label (\"v/u\") need history_free => false")));
	times = given_times(fcinfo, 2, given.bits.nrows, c->has_within || c->has_absence);
	if (reference)
	{
		mr_backtrack_reference(c, prog, given.bits.nrows, times, until, &hooks);
		return (Datum) 0;
	}

	m = mr_matcher_create(c, prog, history_free, max_threads, &hooks);
	for (i = 0; i < given.bits.nrows; i++)
	{
		mr_matcher_push(m, times ? times[i] : 0);
		if (roundtrip)
		{
			StringInfoData buf;

			initStringInfo(&buf);
			mr_matcher_serialize(m, &buf);
			mr_matcher_free(m);
			m = mr_matcher_restore(c, prog, history_free, max_threads, &hooks,
								   buf.data, buf.len);
			pfree(buf.data);
		}
		/* event time is complete up to just before the next row's */
		if (watermarks && times && i + 1 < given.bits.nrows && times[i + 1] > times[i])
			mr_matcher_advance(m, times[i + 1] - 1);
	}
	mr_matcher_finish(m, until);
	mr_matcher_free(m);
	return (Datum) 0;
}
