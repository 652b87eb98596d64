/*-------------------------------------------------------------------------
 *
 * window_replay.c
 *	  asset_stream.window_replay(...) and window_replay_snapshot(...): the
 *	  SQL driver of the window core over a recorded stream.
 *
 * The input query runs once, read-only, with its rows pushed straight into
 * the operator by a DestReceiver (no cursor copies).  Its rows are taken in
 * the order the query returns them: that is the arrival order.  Every row
 * is either a read (time, key, aggregate arguments) or, when a watermark
 * column is named and not NULL in that row, a watermark.  Without a
 * watermark column, the watermark is derived after each read as the
 * largest event time seen minus out_of_orderness.  Every emission of the
 * operator becomes one output row, in emission order (column seq).
 *
 * Output columns bind by name from the caller's column definition list;
 * window_replay_columns documents them.  A snapshot (bytea) holds the
 * argument fingerprint, the input position, the emission counter, the
 * watermark generator and the operator state; resuming re-reads the same
 * input, skips the rows before the position, and continues.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "nodes/nodeFuncs.h"
#include "pgtime.h"
#include "tcop/dest.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/plancache.h"
#include "utils/regproc.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

#include "srf_columns.h"
#include "window_core.h"

PG_FUNCTION_INFO_V1(window_replay);
PG_FUNCTION_INFO_V1(window_replay_snapshot);

#define WR_MAGIC		0x41535752	/* "ASWR" */
#define WR_VERSION		1

/* fixed output columns */
enum
{
	WR_COL_SEQ,
	WR_COL_KIND,
	WR_COL_WATERMARK,
	WR_COL_ORDINAL,
	WR_COL_KEY,
	WR_COL_START,
	WR_COL_END,
	WR_COL_TIME,
	WR_COL_EVENT_TIME,
	WR_COL_FIRING,
	WR_NFIXED
};

static const char *const wr_fixed_names[WR_NFIXED] = {
	"seq", "kind", "watermark", "ordinal", "key", "window_start",
	"window_end", "window_time", "event_time", "firing"
};

static const char *const wr_kind_names[] = {
	"final", "update", "late", "missed", "retract"
};

typedef struct WrArgs
{
	char	   *input;
	char	   *time_column;
	char	   *key_column;		/* NULL: one global key */
	char	   *kind_name;
	WinKind		kind;
	int64		size;
	int64		slide;
	char	   *aggregates;
	int64		bound;			/* out_of_orderness */
	int64		lateness;
	bool		emit_update;
	bool		flush_at_end;
	char	   *watermark_column;
	int64		offset;
	int64		max_open;
	int64		stop_after;		/* -1: no stop */
	bytea	   *resume_from;
} WrArgs;

typedef struct WrState
{
	DestReceiver pub;			/* must be first */
	WrArgs	   *args;
	WcState    *core;
	WcSpec		spec;
	List	   *calls;			/* WcAggCall */
	int			time_att;		/* 0-based */
	int			key_att;		/* -1: none */
	int			wm_att;			/* -1: none */
	int			maxatt;
	Oid			timetype;
	Oid			keytype;
	/* aggregate argument evaluation */
	int			nargs;
	int		   *agg_nargs;		/* per aggregate: its arguments */
	bool		has_exprs;		/* some argument or FILTER is an expression */
	int		   *arg_att;		/* >= 0: plain column; -1: expression */
	ExprState **arg_expr;
	ExprState **filter_expr;	/* per aggregate, or NULL */
	EState	   *estate;
	ExprContext *econtext;
	Datum	   *argv;
	bool	   *argnull;
	bool	   *skip;
	/* watermarks and position */
	bool		have_max;
	int64		max_ts;
	int64		position;		/* input rows consumed, snapshot included */
	int64		skip_rows;		/* rows to skip on resume */
	int64		seq;
	bool		stopped;
	/* output */
	Tuplestorestate *tupstore;
	TupleDesc	outdesc;
	int		   *outmap;			/* per output column: source column id */
	Datum	   *outvals;
	bool	   *outnulls;
	Datum		kind_text[5];
	char	   *fingerprint;
} WrState;

/* ----------------------------------------------------------- arguments */

static char *
wr_text_arg(FunctionCallInfo fcinfo, int n, const char *name, bool required)
{
	if (PG_ARGISNULL(n))
	{
		if (required)
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s must not be NULL", name)));
		return NULL;
	}
	return text_to_cstring(PG_GETARG_TEXT_PP(n));
}

/* An interval as microseconds of a fixed duration; NULL gives dflt. */
static int64
wr_interval_arg(FunctionCallInfo fcinfo, int n, const char *name, int64 dflt,
				bool positive)
{
	Interval   *iv;
	int64		us;

	if (PG_ARGISNULL(n))
	{
		if (dflt < 0)
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s must not be NULL", name)));
		return dflt;
	}
	iv = PG_GETARG_INTERVAL_P(n);
	if (iv->month != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not contain months or years", name),
				 errdetail("Window sizes are fixed durations; a month has no fixed length."),
				 errhint("Use days, for example '30 days'.")));
	if (pg_mul_s64_overflow((int64) iv->day, USECS_PER_DAY, &us) ||
		pg_add_s64_overflow(us, iv->time, &us))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("%s is out of range", name)));
	if (positive ? us <= 0 : us < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be %s", name, positive ? "positive" : "zero or positive")));
	return us;
}

static void
wr_read_args(FunctionCallInfo fcinfo, WrArgs *a)
{
	char	   *emit;

	a->input = wr_text_arg(fcinfo, 0, "input", true);
	a->time_column = wr_text_arg(fcinfo, 1, "time_column", true);
	a->key_column = wr_text_arg(fcinfo, 2, "key_column", false);
	a->kind_name = wr_text_arg(fcinfo, 3, "window_kind", true);
	if (pg_strcasecmp(a->kind_name, "tumble") == 0)
		a->kind = WIN_TUMBLE;
	else if (pg_strcasecmp(a->kind_name, "hop") == 0)
		a->kind = WIN_HOP;
	else if (pg_strcasecmp(a->kind_name, "cumulate") == 0)
		a->kind = WIN_CUMULATE;
	else if (pg_strcasecmp(a->kind_name, "session") == 0)
		a->kind = WIN_SESSION;
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown window_kind \"%s\"", a->kind_name),
				 errhint("Use tumble, hop, cumulate or session.")));
	a->size = wr_interval_arg(fcinfo, 4, "size", -1, true);
	if (a->kind == WIN_HOP || a->kind == WIN_CUMULATE)
	{
		a->slide = wr_interval_arg(fcinfo, 5,
								   a->kind == WIN_HOP ? "slide" : "slide (the cumulate step)",
								   -1, true);
		if (a->kind == WIN_CUMULATE && a->size % a->slide != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cumulate size must be a whole multiple of its step")));
	}
	else if (!PG_ARGISNULL(5))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("slide applies only to hop and cumulate windows")));
	a->aggregates = wr_text_arg(fcinfo, 6, "aggregates", true);
	a->bound = wr_interval_arg(fcinfo, 7, "out_of_orderness", 0, false);
	a->lateness = wr_interval_arg(fcinfo, 8, "allowed_lateness", 0, false);
	emit = wr_text_arg(fcinfo, 9, "emit", true);
	if (pg_strcasecmp(emit, "final") == 0)
		a->emit_update = false;
	else if (pg_strcasecmp(emit, "update") == 0)
		a->emit_update = true;
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown emit mode \"%s\"", emit),
				 errhint("Use final or update.")));
	if (PG_ARGISNULL(10))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("flush_at_end must not be NULL")));
	a->flush_at_end = PG_GETARG_BOOL(10);
	a->watermark_column = wr_text_arg(fcinfo, 11, "watermark_column", false);
	if (a->watermark_column && a->bound != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("out_of_orderness cannot be combined with watermark_column"),
				 errdetail("With a watermark column, every watermark comes from the input.")));
	if (PG_ARGISNULL(12))
		a->offset = 0;
	else
	{
		Interval   *iv = PG_GETARG_INTERVAL_P(12);

		if (iv->month != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("offset must not contain months or years")));
		a->offset = (int64) iv->day * USECS_PER_DAY + iv->time;
	}
	if (a->kind == WIN_SESSION && a->offset != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("session windows take no offset")));
	if (PG_ARGISNULL(13) || PG_GETARG_INT64(13) <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("max_open_windows must be a positive number")));
	a->max_open = PG_GETARG_INT64(13);
	a->stop_after = PG_ARGISNULL(14) ? -1 : PG_GETARG_INT64(14);
	if (!PG_ARGISNULL(14) && a->stop_after < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("stop_after must not be negative")));
	a->resume_from = PG_ARGISNULL(15) ? NULL : PG_GETARG_BYTEA_PP(15);
}

/* ------------------------------------------------------------- columns */

static int
wr_find_column(TupleDesc desc, const char *name, const char *what)
{
	int			att = srf_find_column_arg(desc, name, "window_replay");

	if (att >= 0)
		return att;
	ereport(ERROR,
			(errcode(ERRCODE_UNDEFINED_COLUMN),
			 errmsg("%s \"%s\" is not a column of the input query", what, name)));
	return -1;					/* keep compiler quiet */
}

/* Name and type of output column id (fixed columns, then aggregates). */
static void
wr_column_info(WrState *st, int id, const char **name, Oid *type)
{
	if (id >= WR_NFIXED)
	{
		WcAggDef   *ag = &st->spec.aggs[id - WR_NFIXED];

		*name = ag->name;
		*type = ag->resulttype;
		return;
	}
	*name = wr_fixed_names[id];
	switch (id)
	{
		case WR_COL_SEQ:
		case WR_COL_ORDINAL:
			*type = INT8OID;
			break;
		case WR_COL_KIND:
			*type = TEXTOID;
			break;
		case WR_COL_KEY:
			*type = OidIsValid(st->keytype) ? st->keytype : TEXTOID;
			break;
		case WR_COL_FIRING:
			*type = INT4OID;
			break;
		default:
			*type = st->timetype;
			break;
	}
}

static char *
wr_columns_list(WrState *st)
{
	StringInfoData s;

	initStringInfo(&s);
	for (int id = 0; id < WR_NFIXED + st->spec.naggs; id++)
	{
		const char *name;
		Oid			type;

		wr_column_info(st, id, &name, &type);
		appendStringInfo(&s, "%s%s %s", id ? ", " : "", quote_identifier(name),
						 format_type_be(type));
	}
	return s.data;
}

/* Bind the caller's column definition list to output columns by name. */
static void
wr_bind_output(WrState *st, TupleDesc expected)
{
	if (expected == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_SYNTAX_ERROR),
				 errmsg("window_replay needs a column definition list"),
				 errhint("Add AS (...) with any of these columns, in any order: %s.",
						 wr_columns_list(st))));
	st->outdesc = expected;
	st->outmap = palloc(sizeof(int) * expected->natts);
	for (int i = 0; i < expected->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(expected, i);
		int			found = -1;
		const char *name;
		Oid			type;

		for (int id = 0; id < WR_NFIXED + st->spec.naggs && found < 0; id++)
		{
			wr_column_info(st, id, &name, &type);
			if (strcmp(name, NameStr(att->attname)) == 0)
				found = id;
		}
		if (found < 0)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_COLUMN),
					 errmsg("window_replay has no output column \"%s\"", NameStr(att->attname)),
					 errdetail("Available columns: %s.", wr_columns_list(st))));
		wr_column_info(st, found, &name, &type);
		if (type != att->atttypid)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("window_replay column \"%s\" has type %s, not %s",
							name, format_type_be(type), format_type_be(att->atttypid)),
					 errdetail("Available columns: %s.", wr_columns_list(st))));
		st->outmap[i] = found;
	}
	st->outvals = palloc(sizeof(Datum) * expected->natts);
	st->outnulls = palloc(sizeof(bool) * expected->natts);
	for (int k = 0; k < 5; k++)
		st->kind_text[k] = CStringGetTextDatum(wr_kind_names[k]);
}

/* ------------------------------------------------------------ emission */

static void
wr_emit(void *arg, const WcEmission *e)
{
	WrState    *st = (WrState *) arg;

	st->seq++;
	if (st->tupstore == NULL)
		return;
	for (int i = 0; i < st->outdesc->natts; i++)
	{
		int			id = st->outmap[i];
		Datum		v = (Datum) 0;
		bool		n = false;

		switch (id)
		{
			case WR_COL_SEQ:
				v = Int64GetDatum(st->seq);
				break;
			case WR_COL_KIND:
				v = st->kind_text[e->kind];
				break;
			case WR_COL_WATERMARK:
				v = TimestampGetDatum(e->watermark);
				break;
			case WR_COL_ORDINAL:
				v = Int64GetDatum(e->ordinal);
				n = (e->ordinal == 0);
				break;
			case WR_COL_KEY:
				v = e->key;
				n = e->keynull;
				break;
			case WR_COL_START:
				v = TimestampGetDatum(e->start);
				break;
			case WR_COL_END:
				v = TimestampGetDatum(e->end);
				break;
			case WR_COL_TIME:
				v = TimestampGetDatum(e->time);
				break;
			case WR_COL_EVENT_TIME:
				v = TimestampGetDatum(e->event_time);
				n = !e->has_event_time;
				break;
			case WR_COL_FIRING:
				v = Int32GetDatum(e->firing);
				n = (e->firing == 0);
				break;
			default:
				if (e->values)
				{
					v = e->values[id - WR_NFIXED];
					n = e->isnull[id - WR_NFIXED];
				}
				else
					n = true;
				break;
		}
		st->outvals[i] = v;
		st->outnulls[i] = n;
	}
	tuplestore_putvalues(st->tupstore, st->outdesc, st->outvals, st->outnulls);
}

/* ------------------------------------------------------------ receiver */

static void
wr_startup(DestReceiver *self, int operation, TupleDesc typeinfo)
{
}

static void
wr_shutdown(DestReceiver *self)
{
}

static void
wr_destroy(DestReceiver *self)
{
}

static int64
wr_time_value(WrState *st, Datum d, const char *what)
{
	Timestamp	t = DatumGetTimestamp(d);

	if (TIMESTAMP_NOT_FINITE(t))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("%s of input row %lld is infinite", what, (long long) st->position)));
	return t;
}

/*
 * Evaluate the FILTERs and the aggregate arguments of one read into
 * st->skip, st->argv and st->argnull; returns st->skip.
 */
static bool *
wr_eval_args(WrState *st, TupleTableSlot *slot)
{
	int			ai = 0;

	ResetExprContext(st->econtext);
	st->econtext->ecxt_scantuple = slot;
	for (int agg = 0; agg < st->spec.naggs; agg++)
	{
		st->skip[agg] = false;
		if (st->filter_expr[agg])
		{
			bool		isnull;
			Datum		ok = ExecEvalExprSwitchContext(st->filter_expr[agg],
													   st->econtext, &isnull);

			st->skip[agg] = isnull || !DatumGetBool(ok);
		}
		for (int j = 0; j < st->agg_nargs[agg]; j++, ai++)
		{
			if (st->arg_att[ai] >= 0)
			{
				st->argv[ai] = slot->tts_values[st->arg_att[ai]];
				st->argnull[ai] = slot->tts_isnull[st->arg_att[ai]];
			}
			else
				st->argv[ai] = ExecEvalExprSwitchContext(st->arg_expr[ai], st->econtext,
														 &st->argnull[ai]);
		}
	}
	return st->skip;
}

static bool
wr_receive(TupleTableSlot *slot, DestReceiver *self)
{
	WrState    *st = (WrState *) self;
	int64		ts;
	int			ai;
	WcRowArgs	ra;

	CHECK_FOR_INTERRUPTS();
	if (st->args->stop_after >= 0 && st->position >= st->args->stop_after)
	{
		st->stopped = true;
		return false;
	}
	st->position++;
	if (st->position <= st->skip_rows)
		return true;

	slot_getsomeattrs(slot, st->maxatt);

	if (st->wm_att >= 0 && !slot->tts_isnull[st->wm_att])
	{
		Timestamp	wm = DatumGetTimestamp(slot->tts_values[st->wm_att]);

		/* -infinity holds nothing back; +infinity closes every window */
		if (wm != DT_NOBEGIN)
			wc_advance(st->core, st->position, wm);
		return true;
	}
	if (slot->tts_isnull[st->time_att])
		return true;			/* rows without event time are dropped */
	ts = wr_time_value(st, slot->tts_values[st->time_att], st->args->time_column);

	ra.argv = st->argv;
	ra.argnull = st->argnull;
	ra.skip = NULL;
	if (!st->has_exprs)
	{
		/* plain columns only, no FILTER: copy them */
		const int  *att = st->arg_att;
		Datum	   *argv = st->argv;
		bool	   *argnull = st->argnull;

		for (ai = 0; ai < st->nargs; ai++)
		{
			argv[ai] = slot->tts_values[att[ai]];
			argnull[ai] = slot->tts_isnull[att[ai]];
		}
	}
	else
		ra.skip = wr_eval_args(st, slot);
	if (st->key_att >= 0)
		wc_push(st->core, st->position, slot->tts_values[st->key_att],
				slot->tts_isnull[st->key_att], ts, &ra);
	else
		wc_push(st->core, st->position, (Datum) 0, true, ts, &ra);

	if (st->wm_att < 0 && (!st->have_max || ts > st->max_ts))
	{
		int64		wm;

		st->have_max = true;
		st->max_ts = ts;
		if (pg_sub_s64_overflow(ts, st->args->bound, &wm))
			wm = PG_INT64_MIN + 1;
		wc_advance(st->core, st->position, wm);
	}
	return true;
}

/* --------------------------------------------------------------- setup */

static char *
wr_fingerprint(WrState *st)
{
	WrArgs	   *a = st->args;
	StringInfoData s;

	initStringInfo(&s);
	appendStringInfo(&s, "%s size=" INT64_FORMAT " slide=" INT64_FORMAT " offset=" INT64_FORMAT
					 " time=%s %s key=%s %s watermark=%s bound=" INT64_FORMAT
					 " lateness=" INT64_FORMAT " emit=%s tz=%s aggs=",
					 win_kind_name(a->kind), a->size, a->slide, a->offset,
					 a->time_column, format_type_be(st->timetype),
					 a->key_column ? a->key_column : "-",
					 OidIsValid(st->keytype) ? format_type_be(st->keytype) : "-",
					 a->watermark_column ? a->watermark_column : "-",
					 a->bound, a->lateness, a->emit_update ? "update" : "final",
					 st->timetype == TIMESTAMPTZOID ? pg_get_timezone_name(session_timezone) : "-");
	for (int i = 0; i < st->spec.naggs; i++)
		appendStringInfo(&s, "%s%s=%s", i ? "," : "", st->spec.aggs[i].name,
						 format_procedure(st->spec.aggs[i].aggfnoid));
	return s.data;
}

/* Resolve columns and aggregates against the input's row type. */
static void
wr_setup(WrState *st, TupleDesc desc, MemoryContext cxt)
{
	WrArgs	   *a = st->args;
	ListCell   *lc;
	int			n,
				ai = 0;
	MemoryContext old = MemoryContextSwitchTo(cxt);

	st->time_att = wr_find_column(desc, a->time_column, "time_column");
	st->timetype = TupleDescAttr(desc, st->time_att)->atttypid;
	if (st->timetype != TIMESTAMPTZOID && st->timetype != TIMESTAMPOID)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("time_column \"%s\" has type %s", a->time_column,
						format_type_be(st->timetype)),
				 errhint("The time column must be timestamptz or timestamp.")));
	st->maxatt = st->time_att + 1;
	st->key_att = -1;
	if (a->key_column)
	{
		st->key_att = wr_find_column(desc, a->key_column, "key_column");
		st->keytype = TupleDescAttr(desc, st->key_att)->atttypid;
		st->maxatt = Max(st->maxatt, st->key_att + 1);
	}
	st->wm_att = -1;
	if (a->watermark_column)
	{
		Oid			wt;

		st->wm_att = wr_find_column(desc, a->watermark_column, "watermark_column");
		wt = TupleDescAttr(desc, st->wm_att)->atttypid;
		if (wt != st->timetype)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("watermark_column \"%s\" has type %s, but the time column has type %s",
							a->watermark_column, format_type_be(wt),
							format_type_be(st->timetype))));
		st->maxatt = Max(st->maxatt, st->wm_att + 1);
	}

	st->calls = wc_parse_aggregates(a->aggregates, desc, cxt);
	n = list_length(st->calls);
	st->spec.naggs = n;
	st->spec.aggs = palloc0(sizeof(WcAggDef) * Max(n, 1));
	st->nargs = 0;
	foreach(lc, st->calls)
	{
		WcAggCall  *call = (WcAggCall *) lfirst(lc);
		int			i = foreach_current_index(lc);

		st->spec.aggs[i] = *call->def;
		st->nargs += list_length(call->argexprs);
		for (int j = 0; j < i; j++)
			if (strcmp(st->spec.aggs[j].name, call->def->name) == 0)
				ereport(ERROR,
						(errcode(ERRCODE_DUPLICATE_COLUMN),
						 errmsg("two aggregates are named \"%s\"", call->def->name),
						 errhint("Name them with AS, for example 'avg(a) AS avg_a, avg(b) AS avg_b'.")));
		for (int j = 0; j < WR_NFIXED; j++)
			if (strcmp(wr_fixed_names[j], call->def->name) == 0)
				ereport(ERROR,
						(errcode(ERRCODE_DUPLICATE_COLUMN),
						 errmsg("aggregate name \"%s\" is the name of an output column", call->def->name),
						 errhint("Name it with AS.")));
		if (a->kind == WIN_SESSION && !call->def->hasCombine)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("aggregate %s cannot be used with session windows", call->def->name),
					 errdetail("Merging sessions needs a combine function, and %s has none.",
							   format_procedure(call->def->aggfnoid))));
	}

	st->estate = CreateExecutorState();
	st->econtext = CreateExprContext(st->estate);
	st->arg_att = palloc(sizeof(int) * Max(st->nargs, 1));
	st->arg_expr = palloc0(sizeof(ExprState *) * Max(st->nargs, 1));
	st->filter_expr = palloc0(sizeof(ExprState *) * Max(n, 1));
	st->agg_nargs = palloc0(sizeof(int) * Max(n, 1));
	st->argv = palloc0(sizeof(Datum) * Max(st->nargs, 1));
	st->argnull = palloc0(sizeof(bool) * Max(st->nargs, 1));
	st->skip = palloc0(sizeof(bool) * Max(n, 1));
	foreach(lc, st->calls)
	{
		WcAggCall  *call = (WcAggCall *) lfirst(lc);
		ListCell   *ec;

		st->agg_nargs[foreach_current_index(lc)] = list_length(call->argexprs);
		if (call->filter)
		{
			st->filter_expr[foreach_current_index(lc)] =
				ExecPrepareExpr((Expr *) call->filter, st->estate);
			st->maxatt = desc->natts;
			st->has_exprs = true;
		}
		foreach(ec, call->argexprs)
		{
			Node	   *e = (Node *) lfirst(ec);

			if (IsA(e, Var))
			{
				st->arg_att[ai] = ((Var *) e)->varattno - 1;
				st->maxatt = Max(st->maxatt, st->arg_att[ai] + 1);
			}
			else
			{
				st->arg_att[ai] = -1;
				st->arg_expr[ai] = ExecPrepareExpr((Expr *) e, st->estate);
				st->maxatt = desc->natts;
				st->has_exprs = true;
			}
			ai++;
		}
	}

	st->spec.win.kind = a->kind;
	st->spec.win.size = a->size;
	st->spec.win.slide = a->slide;
	st->spec.win.offset = a->offset;
	st->spec.win.tz = (st->timetype == TIMESTAMPTZOID) ? session_timezone : NULL;
	if (a->kind != WIN_SESSION)
		win_spec_check(&st->spec.win);
	st->spec.lateness = a->lateness;
	st->spec.emit_update = a->emit_update;
	st->spec.keytype = st->keytype;
	if (OidIsValid(st->keytype))
		get_typlenbyval(st->keytype, &st->spec.keylen, &st->spec.keybyval);
	st->spec.max_open_windows = a->max_open;
	st->fingerprint = wr_fingerprint(st);
	MemoryContextSwitchTo(old);
}

/* Restore position, counters and operator state from a snapshot. */
static void
wr_restore(WrState *st, bytea *snap)
{
	StringInfoData buf;
	int			len;
	char	   *fp;

	buf.data = VARDATA_ANY(snap);
	buf.len = VARSIZE_ANY_EXHDR(snap);
	buf.maxlen = buf.len;
	buf.cursor = 0;
	if (buf.len < 12 || pq_getmsgint(&buf, 4) != WR_MAGIC)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("resume_from is not a window_replay snapshot")));
	if (pq_getmsgint(&buf, 4) != WR_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("window_replay snapshot has an unknown format version")));
	len = (int) pq_getmsgint(&buf, 4);
	if (len < 0 || len > buf.len - buf.cursor - 25)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid window snapshot: truncated")));
	fp = pnstrdup(pq_getmsgbytes(&buf, len), len);
	if (strcmp(fp, st->fingerprint) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the snapshot was taken with different window_replay arguments"),
				 errdetail("Snapshot: %s. This call: %s.", fp, st->fingerprint)));
	st->skip_rows = pq_getmsgint64(&buf);
	st->seq = pq_getmsgint64(&buf);
	st->have_max = pq_getmsgbyte(&buf);
	st->max_ts = pq_getmsgint64(&buf);
	if (st->skip_rows < 0 || st->seq < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid window snapshot: bad position")));
	wc_deserialize(st->core, &buf);
}

static bytea *
wr_make_snapshot(WrState *st)
{
	StringInfoData buf;
	bytea	   *res;
	int			len = strlen(st->fingerprint);

	initStringInfo(&buf);
	appendStringInfoSpaces(&buf, VARHDRSZ);
	pq_sendint32(&buf, WR_MAGIC);
	pq_sendint32(&buf, WR_VERSION);
	pq_sendint32(&buf, len);
	pq_sendbytes(&buf, st->fingerprint, len);
	pq_sendint64(&buf, st->position);
	pq_sendint64(&buf, st->seq);
	pq_sendbyte(&buf, st->have_max);
	pq_sendint64(&buf, st->max_ts);
	wc_serialize(st->core, &buf);
	res = (bytea *) buf.data;
	SET_VARSIZE(res, buf.len);
	return res;
}

/*
 * Run the replay.  With a tupstore, emissions go there (window_replay);
 * without, they are only counted and the snapshot is returned.
 */
static bytea *
wr_run(FunctionCallInfo fcinfo, bool snapshot)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	MemoryContext callcxt = CurrentMemoryContext;
	MemoryContext cxt;
	WrArgs		args;
	WrState    *st;
	SPIPlanPtr	plan;
	List	   *sources;
	CachedPlanSource *src;
	SPIExecuteOptions opts;
	int			rc;
	bytea	   *result = NULL;

	memset(&args, 0, sizeof(args));
	wr_read_args(fcinfo, &args);
	if (!snapshot && (rsinfo == NULL || !IsA(rsinfo, ReturnSetInfo) ||
					  (rsinfo->allowedModes & SFRM_Materialize) == 0))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("window_replay must be called in the FROM clause")));

	cxt = AllocSetContextCreate(callcxt, "window replay", ALLOCSET_DEFAULT_SIZES);
	st = MemoryContextAllocZero(cxt, sizeof(WrState));
	st->args = &args;
	st->pub.receiveSlot = wr_receive;
	st->pub.rStartup = wr_startup;
	st->pub.rShutdown = wr_shutdown;
	st->pub.rDestroy = wr_destroy;
	st->pub.mydest = DestNone;

	if ((rc = SPI_connect()) != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed: %s", SPI_result_code_string(rc));
	plan = SPI_prepare(args.input, 0, NULL);
	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
	sources = SPI_plan_get_plan_sources(plan);
	if (list_length(sources) != 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("input must be a single query")));
	src = (CachedPlanSource *) linitial(sources);
	if (src->resultDesc == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("input must be a query that returns rows")));

	wr_setup(st, src->resultDesc, cxt);
	if (!snapshot)
	{
		MemoryContext old;

		if (rsinfo->expectedDesc == NULL)
			wr_bind_output(st, NULL);	/* errors with the column list */
		InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
		old = MemoryContextSwitchTo(cxt);
		wr_bind_output(st, rsinfo->setDesc);
		st->tupstore = rsinfo->setResult;
		MemoryContextSwitchTo(old);
	}
	st->core = wc_create(&st->spec, cxt, wr_emit, st);
	if (args.resume_from)
		wr_restore(st, args.resume_from);

	memset(&opts, 0, sizeof(opts));
	opts.read_only = true;
	opts.dest = (DestReceiver *) st;
	rc = SPI_execute_plan_extended(plan, &opts);
	if (rc < 0)
		elog(ERROR, "input query failed: %s", SPI_result_code_string(rc));

	if (snapshot)
	{
		MemoryContext old = MemoryContextSwitchTo(callcxt);

		result = wr_make_snapshot(st);
		MemoryContextSwitchTo(old);
	}
	else if (!st->stopped && args.stop_after < 0 && args.flush_at_end)
		wc_advance(st->core, 0, WC_TIME_MAX);

	SPI_finish();
	FreeExprContext(st->econtext, true);
	FreeExecutorState(st->estate);
	wc_destroy(st->core);
	MemoryContextDelete(cxt);
	return result;
}

/*
 * window_replay(input, time_column, key_column, window_kind, size, slide,
 *				 aggregates, out_of_orderness, allowed_lateness, emit,
 *				 flush_at_end, watermark_column, "offset", max_open_windows,
 *				 stop_after, resume_from) RETURNS SETOF record
 */
Datum
window_replay(PG_FUNCTION_ARGS)
{
	wr_run(fcinfo, false);
	return (Datum) 0;
}

/* The same arguments; returns the snapshot after stop_after input rows. */
Datum
window_replay_snapshot(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(wr_run(fcinfo, true));
}
