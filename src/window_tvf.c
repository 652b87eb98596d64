/*-------------------------------------------------------------------------
 *
 * window_tvf.c
 *	  The window table functions asset_stream.tumble, hop, cumulate and
 *	  session: Flink's window TVFs over any SQL query.
 *
 * Each function runs its input query through SPI with the caller's rights
 * and receives the rows through a DestReceiver, so no SPI tuple table is
 * built.  The caller's column definition list is bound by name to the
 * input's columns and to window_start, window_end and window_time; only
 * the columns asked for are read and written.  Results go to a tuplestore
 * in materialize mode (a FROM-clause function is materialized anyway).
 *
 * TUMBLE, HOP and CUMULATE stream: every row is assigned its windows
 * (window_assign.c) and written out at once.  SESSION needs a key's rows in
 * time order: rows are grouped by the partition key (one or more columns)
 * with each type's hash and equality functions (no collation-aware sort),
 * each key's times are
 * sorted as int64 (a key whose rows arrived in order is not sorted again),
 * and the sessions are swept once.  The session driver holds its input in
 * memory: 16 bytes per row, plus a copy of the columns asked for other
 * than the key and the time.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/detoast.h"
#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "tcop/dest.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"
#include "utils/typcache.h"

#include "srf_columns.h"
#include "window_assign.h"
#include "window_tvf.h"

PG_FUNCTION_INFO_V1(window_tumble);
PG_FUNCTION_INFO_V1(window_hop);
PG_FUNCTION_INFO_V1(window_cumulate);
PG_FUNCTION_INFO_V1(window_session);

/* One stored row of the session driver. */
typedef struct WtEntry
{
	int64		t;
	MinimalTuple tup;			/* other columns asked for, or NULL */
} WtEntry;

/* One partition key of the session driver. */
typedef struct WtKey
{
	Datum	   *vals;			/* one per partition column */
	bool	   *nulls;
	bool		sorted;			/* times arrived in ascending order */
	uint32		hash;
	int			n;
	int			cap;
	WtEntry    *rows;
} WtKey;

/* The receiver: state of one window function call. */
typedef struct WtState
{
	DestReceiver pub;			/* must be first */

	/* arguments */
	const char *fname;			/* SQL function name, for messages */
	WinSpec		spec;
	const char *time_col;
	const char *part_col;		/* session only; NULL = one timeline */

	/* output */
	Tuplestorestate *tstore;
	TupleDesc	outdesc;
	int			nout;
	WtOutCol   *out;
	Datum	   *values;
	bool	   *nulls;

	/* input binding (set by wt_startup) */
	int			time_att;
	Oid			time_type;
	int			npart;			/* partition columns; 0: one timeline */
	int		   *part_atts;
	int		   *out_keyidx;		/* per output column: partition column index
								 * or -1 */
	Datum	   *part_vals;		/* the current row's partition columns */
	bool	   *part_nulls;
	int			natts_needed;	/* deform this many input columns */
	WinBounds  *wins;			/* room for win_max_windows() */

	MemoryContext rowcxt;		/* reset every WT_ROW_BATCH rows */
	int			rows_in_batch;

	/* session driver */
	MemoryContext arena;		/* keys and stored rows */
	TupleDesc	storedesc;		/* stored columns, or NULL */
	int			nstored;
	int		   *stored_att;		/* input attribute of each stored column */
	Datum	   *store_values;
	bool	   *store_nulls;
	TypeCacheEntry **keytype;	/* per partition column */
	Oid		   *keycoll;
	int16	   *keylen;
	bool	   *keybyval;
	WtKey	   *keys;
	int			nkeys;
	int			capkeys;
	int		   *slots;			/* open-addressing hash: key index + 1 */
	int			nslots;
	int			last_key;		/* key of the previous row, or -1 */
} WtState;

#define WT_ROW_BATCH 1024

static const char *const wt_window_cols[] = {"window_start", "window_end", "window_time"};

static void wt_run(FunctionCallInfo fcinfo, WtState *st, const char *query);
static void wt_startup(DestReceiver *self, int operation, TupleDesc typeinfo);
static bool wt_receive_assign(TupleTableSlot *slot, DestReceiver *self);
static bool wt_receive_session(TupleTableSlot *slot, DestReceiver *self);
static void wt_shutdown(DestReceiver *self);
static void wt_destroy(DestReceiver *self);
static void wt_session_emit(WtState *st);

/*
 * Argument helpers: a NULL argument is an error naming it.
 */
char *
wt_text_value(Datum value, bool isnull, const char *fname, const char *argname)
{
	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s: %s must not be NULL", fname, argname)));
	return TextDatumGetCString(value);
}

static char *
wt_text_arg(FunctionCallInfo fcinfo, int n, const char *fname, const char *argname)
{
	return wt_text_value(PG_ARGISNULL(n) ? (Datum) 0 : PG_GETARG_DATUM(n),
						 PG_ARGISNULL(n), fname, argname);
}

int64
wt_interval_value(Datum value, bool isnull, const char *fname, const char *argname)
{
	char		buf[64];

	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s: %s must not be NULL", fname, argname)));
	snprintf(buf, sizeof(buf), "%s: %s", fname, argname);
	return win_interval_usecs(DatumGetIntervalP(value), buf);
}

static int64
wt_interval_arg(FunctionCallInfo fcinfo, int n, const char *fname, const char *argname)
{
	return wt_interval_value(PG_ARGISNULL(n) ? (Datum) 0 : PG_GETARG_DATUM(n),
							 PG_ARGISNULL(n), fname, argname);
}

/*
 * Start a call: check arguments common to all four functions and set up the
 * tuplestore with the caller's column definition list.
 */
static WtState *
wt_begin(FunctionCallInfo fcinfo, const char *fname, WinKind kind,
		 char **query)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	WtState    *st;

	*query = wt_text_arg(fcinfo, 0, fname, "input");

	st = palloc0(sizeof(WtState));
	st->fname = fname;
	st->spec.kind = kind;
	st->time_col = wt_text_arg(fcinfo, 1, fname, "time_column");
	st->last_key = -1;

	if (rsinfo == NULL || !IsA(rsinfo, ReturnSetInfo) ||
		rsinfo->expectedDesc == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s must be called in FROM with a column definition list", fname),
				 errhint("For example: SELECT * FROM asset_stream.%s(...) AS w(asset_id text, window_start timestamptz).",
						 fname)));
	return st;
}

/* ---------------------------------------------------------------- entry points */

Datum
window_tumble(PG_FUNCTION_ARGS)
{
	char	   *query;
	WtState    *st = wt_begin(fcinfo, "tumble", WIN_TUMBLE, &query);

	st->spec.size = wt_interval_arg(fcinfo, 2, "tumble", "size");
	st->spec.offset = wt_interval_arg(fcinfo, 3, "tumble", "offset");
	win_spec_check(&st->spec);
	wt_run(fcinfo, st, query);
	return (Datum) 0;
}

Datum
window_hop(PG_FUNCTION_ARGS)
{
	char	   *query;
	WtState    *st = wt_begin(fcinfo, "hop", WIN_HOP, &query);

	st->spec.slide = wt_interval_arg(fcinfo, 2, "hop", "slide");
	st->spec.size = wt_interval_arg(fcinfo, 3, "hop", "size");
	st->spec.offset = wt_interval_arg(fcinfo, 4, "hop", "offset");
	win_spec_check(&st->spec);
	wt_run(fcinfo, st, query);
	return (Datum) 0;
}

Datum
window_cumulate(PG_FUNCTION_ARGS)
{
	char	   *query;
	WtState    *st = wt_begin(fcinfo, "cumulate", WIN_CUMULATE, &query);

	st->spec.slide = wt_interval_arg(fcinfo, 2, "cumulate", "step");
	st->spec.size = wt_interval_arg(fcinfo, 3, "cumulate", "max_size");
	st->spec.offset = wt_interval_arg(fcinfo, 4, "cumulate", "offset");
	win_spec_check(&st->spec);
	wt_run(fcinfo, st, query);
	return (Datum) 0;
}

Datum
window_session(PG_FUNCTION_ARGS)
{
	char	   *query;
	WtState    *st = wt_begin(fcinfo, "session", WIN_SESSION, &query);

	st->spec.size = wt_interval_arg(fcinfo, 2, "session", "gap");
	if (!PG_ARGISNULL(3))
		st->part_col = text_to_cstring(PG_GETARG_TEXT_PP(3));
	win_spec_check(&st->spec);
	wt_run(fcinfo, st, query);
	return (Datum) 0;
}

/* ---------------------------------------------------------------- driver */

/*
 * Run the input query into the receiver, then (session) emit the sessions.
 */
static void
wt_run(FunctionCallInfo fcinfo, WtState *st, const char *query)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	MemoryContext callcxt = CurrentMemoryContext;
	SPIPlanPtr	plan;
	SPIExecuteOptions options;
	int			rc;

	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	st->tstore = rsinfo->setResult;
	st->outdesc = rsinfo->setDesc;
	st->nout = st->outdesc->natts;
	st->out = palloc0(sizeof(WtOutCol) * Max(st->nout, 1));
	st->values = palloc(sizeof(Datum) * Max(st->nout, 1));
	st->nulls = palloc(sizeof(bool) * Max(st->nout, 1));
	st->rowcxt = AllocSetContextCreate(callcxt, "asset_stream window rows",
									   ALLOCSET_DEFAULT_SIZES);
	if (st->spec.kind == WIN_SESSION)
		st->arena = AllocSetContextCreate(callcxt, "asset_stream session input",
										  ALLOCSET_DEFAULT_SIZES);
	else
		st->wins = palloc(sizeof(WinBounds) * win_max_windows(&st->spec));
	/* timestamptz windows align on the session TimeZone's wall clock */
	st->spec.tz = NULL;

	st->pub.receiveSlot = st->spec.kind == WIN_SESSION ?
		wt_receive_session : wt_receive_assign;
	st->pub.rStartup = wt_startup;
	st->pub.rShutdown = wt_shutdown;
	st->pub.rDestroy = wt_destroy;
	st->pub.mydest = DestNone;

	if ((rc = SPI_connect()) != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed: %s", SPI_result_code_string(rc));

	plan = srf_prepare_input(query, st->fname);

	memset(&options, 0, sizeof(options));
	options.read_only = false;
	options.dest = (DestReceiver *) st;
	rc = SPI_execute_plan_extended(plan, &options);
	if (rc < 0)
		elog(ERROR, "SPI_execute_plan_extended failed: %s", SPI_result_code_string(rc));

	/* wt_startup runs even for an empty result; be safe anyway */
	if (st->time_type == InvalidOid)
		elog(ERROR, "%s: input query sent no row description", st->fname);

	if (st->spec.kind == WIN_SESSION)
		wt_session_emit(st);

	SPI_finish();

	MemoryContextDelete(st->rowcxt);
	if (st->arena)
		MemoryContextDelete(st->arena);
}

/*
 * List an input descriptor's columns and types, for error details.
 */
static char *
wt_describe_columns(TupleDesc desc, bool with_window, Oid time_type)
{
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	for (i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute a = TupleDescAttr(desc, i);

		if (a->attisdropped)
			continue;
		appendStringInfo(&buf, "%s%s %s", buf.len ? ", " : "",
						 quote_identifier(NameStr(a->attname)),
						 format_type_be(a->atttypid));
	}
	if (with_window)
	{
		for (i = 0; i < 3; i++)
			appendStringInfo(&buf, "%s%s %s", buf.len ? ", " : "",
							 wt_window_cols[i], format_type_be(time_type));
	}
	return buf.data;
}

/*
 * wt_startup binds the input's columns: the time column, the partition key,
 * and each column of the caller's definition list, by name.
 */
void
wt_bind_input(TupleDesc typeinfo, TupleDesc outdesc, const char *fname, WinKind kind,
			  const char *time_col, const char *part_col, WtOutCol *out,
			  WtBinding *b)
{
	int			i;

	/* time column */
	b->time_att = srf_find_column_arg(typeinfo, time_col, fname);
	if (b->time_att < 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("%s: time column \"%s\" is not a column of the input query",
						fname, time_col),
				 errdetail("Available columns: %s.",
						   wt_describe_columns(typeinfo, false, InvalidOid))));
	b->time_type = TupleDescAttr(typeinfo, b->time_att)->atttypid;
	if (b->time_type != TIMESTAMPTZOID && b->time_type != TIMESTAMPOID)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("%s: time column \"%s\" has type %s",
						fname, time_col, format_type_be(b->time_type)),
				 errhint("The time column must be timestamp with time zone or timestamp without time zone.")));
	b->maxatt = b->time_att;

	/* the window columns must not clash with input columns */
	for (i = 0; i < 3; i++)
		if (srf_find_column(typeinfo, wt_window_cols[i], fname) >= 0)
			ereport(ERROR,
					(errcode(ERRCODE_DUPLICATE_COLUMN),
					 errmsg("%s: input query already has a column named \"%s\"",
							fname, wt_window_cols[i]),
					 errhint("Rename that column in the input query.")));

	/* partition key: one column, or a comma-separated list */
	b->npart = 0;
	b->part_atts = NULL;
	if (part_col != NULL)
	{
		List	   *names;
		ListCell   *lc;
		int			att = srf_find_column_arg(typeinfo, part_col, fname);

		names = (att >= 0) ? list_make1(pstrdup(part_col)) :
			srf_split_columns(part_col, fname, "partition_by", NULL);
		if (names == NIL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: partition_by names no column", fname),
					 errhint("Pass NULL for one timeline over all rows.")));
		b->part_atts = palloc(sizeof(int) * Max(list_length(names), 1));
		foreach(lc, names)
		{
			const char *name = (const char *) lfirst(lc);

			att = srf_find_column_arg(typeinfo, name, fname);
			if (att < 0)
				ereport(ERROR,
						(errcode(ERRCODE_UNDEFINED_COLUMN),
						 errmsg("%s: partition_by column \"%s\" is not a column of the input query",
								fname, name),
						 errdetail("Available columns: %s.",
								   wt_describe_columns(typeinfo, false, InvalidOid))));
			for (int j = 0; j < b->npart; j++)
				if (b->part_atts[j] == att)
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("%s: partition_by names column \"%s\" twice",
									fname, NameStr(TupleDescAttr(typeinfo, att)->attname))));
			b->part_atts[b->npart++] = att;
			b->maxatt = Max(b->maxatt, att);
		}
	}

	/* the caller's columns, by name */
	for (i = 0; i < outdesc->natts; i++)
	{
		Form_pg_attribute oa = TupleDescAttr(outdesc, i);
		const char *name = NameStr(oa->attname);
		WtOutCol   *oc = &out[i];
		Oid			have;
		int			w;

		oc->stored = -1;
		for (w = 0; w < 3; w++)
			if (strcmp(name, wt_window_cols[w]) == 0)
				break;
		if (w < 3)
		{
			oc->src = (WtSource) (WT_START + w);
			have = b->time_type;
		}
		else
		{
			oc->src = WT_INPUT;
			oc->att = srf_find_column(typeinfo, name, fname);
			if (oc->att < 0)
				ereport(ERROR,
						(errcode(ERRCODE_UNDEFINED_COLUMN),
						 errmsg("%s: column \"%s\" of the column definition list is not an output column",
								fname, name),
						 errdetail("Available columns: %s.",
								   wt_describe_columns(typeinfo, true, b->time_type))));
			have = TupleDescAttr(typeinfo, oc->att)->atttypid;
			oc->detoast = TupleDescAttr(typeinfo, oc->att)->attlen == -1;
			b->maxatt = Max(b->maxatt, oc->att);
		}
		if (have != oa->atttypid)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("%s: column \"%s\" has type %s, but the column definition list says %s",
							fname, name, format_type_be(have),
							format_type_be(oa->atttypid)),
					 errdetail("Available columns: %s.",
							   wt_describe_columns(typeinfo, true, b->time_type))));
	}
}

/*
 * wt_startup binds the input's columns: the time column, the partition key,
 * and each column of the caller's definition list, by name.
 */
static void
wt_startup(DestReceiver *self, int operation, TupleDesc typeinfo)
{
	WtState    *st = (WtState *) self;
	WtBinding	b;
	int			i;

	wt_bind_input(typeinfo, st->outdesc, st->fname, st->spec.kind, st->time_col,
				  st->part_col, st->out, &b);
	st->time_att = b.time_att;
	st->time_type = b.time_type;
	st->npart = b.npart;
	st->part_atts = b.part_atts;
	if (st->time_type == TIMESTAMPTZOID && st->spec.kind != WIN_SESSION)
		st->spec.tz = session_timezone;

	st->keytype = palloc(sizeof(TypeCacheEntry *) * Max(st->npart, 1));
	st->keycoll = palloc(sizeof(Oid) * Max(st->npart, 1));
	st->keylen = palloc(sizeof(int16) * Max(st->npart, 1));
	st->keybyval = palloc(sizeof(bool) * Max(st->npart, 1));
	for (i = 0; i < st->npart; i++)
	{
		Form_pg_attribute pa = TupleDescAttr(typeinfo, st->part_atts[i]);

		st->keycoll[i] = pa->attcollation;
		st->keytype[i] = lookup_type_cache(pa->atttypid,
										   TYPECACHE_HASH_PROC_FINFO | TYPECACHE_EQ_OPR_FINFO);
		if (!OidIsValid(st->keytype[i]->hash_proc_finfo.fn_oid) ||
			!OidIsValid(st->keytype[i]->eq_opr_finfo.fn_oid))
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_FUNCTION),
					 errmsg("%s: partition_by column \"%s\" has type %s, which cannot be hashed",
							st->fname, NameStr(pa->attname), format_type_be(pa->atttypid))));
		get_typlenbyval(pa->atttypid, &st->keylen[i], &st->keybyval[i]);
	}
	st->part_vals = palloc(sizeof(Datum) * Max(st->npart, 1));
	st->part_nulls = palloc(sizeof(bool) * Max(st->npart, 1));
	st->natts_needed = b.maxatt + 1;

	/* session: which columns must be kept with each row */
	if (st->spec.kind == WIN_SESSION)
	{
		MemoryContext old = MemoryContextSwitchTo(st->arena);
		int			n = 0;

		st->stored_att = palloc(sizeof(int) * Max(st->nout, 1));
		st->out_keyidx = palloc(sizeof(int) * Max(st->nout, 1));
		for (i = 0; i < st->nout; i++)
		{
			WtOutCol   *oc = &st->out[i];
			int			j;

			st->out_keyidx[i] = -1;
			if (oc->src != WT_INPUT || oc->att == st->time_att)
				continue;
			for (j = 0; j < st->npart; j++)
				if (oc->att == st->part_atts[j])
					st->out_keyidx[i] = j;
			if (st->out_keyidx[i] >= 0)
				continue;
			for (j = 0; j < n; j++)
				if (st->stored_att[j] == oc->att)
					break;
			if (j == n)
				st->stored_att[n++] = oc->att;
			oc->stored = j;
		}
		st->nstored = n;
		if (n > 0)
		{
			st->storedesc = CreateTemplateTupleDesc(n);
			for (i = 0; i < n; i++)
				TupleDescCopyEntry(st->storedesc, i + 1, typeinfo, st->stored_att[i] + 1);
			st->store_values = palloc(sizeof(Datum) * n);
			st->store_nulls = palloc(sizeof(bool) * n);
		}
		st->capkeys = 64;
		st->keys = palloc(sizeof(WtKey) * st->capkeys);
		st->nslots = 128;
		st->slots = palloc0(sizeof(int) * st->nslots);
		MemoryContextSwitchTo(old);
	}
}

/*
 * Per-row memory: switch to the row context and reset it every batch.
 */
static inline MemoryContext
wt_row_begin(WtState *st)
{
	CHECK_FOR_INTERRUPTS();
	if (++st->rows_in_batch >= WT_ROW_BATCH)
	{
		MemoryContextReset(st->rowcxt);
		st->rows_in_batch = 0;
	}
	return MemoryContextSwitchTo(st->rowcxt);
}

/*
 * TUMBLE / HOP / CUMULATE: assign the row's windows and write one output
 * row per window.
 */
static bool
wt_receive_assign(TupleTableSlot *slot, DestReceiver *self)
{
	WtState    *st = (WtState *) self;
	MemoryContext old;
	int64		ts;
	int			n,
				w,
				i;

	slot_getsomeattrs(slot, st->natts_needed);
	if (slot->tts_isnull[st->time_att])
		return true;			/* rows without a time are dropped */

	old = wt_row_begin(st);
	ts = DatumGetInt64(slot->tts_values[st->time_att]);
	n = win_assign(&st->spec, ts, st->wins);

	/* input columns first: they are the same for every window */
	for (i = 0; i < st->nout; i++)
	{
		WtOutCol   *oc = &st->out[i];

		if (oc->src == WT_INPUT)
		{
			st->nulls[i] = slot->tts_isnull[oc->att];
			st->values[i] = srf_store_value(slot->tts_values[oc->att], st->nulls[i], oc->detoast);
		}
		else
			st->nulls[i] = false;
	}
	for (w = 0; w < n; w++)
	{
		for (i = 0; i < st->nout; i++)
		{
			switch (st->out[i].src)
			{
				case WT_START:
					st->values[i] = Int64GetDatum(st->wins[w].start);
					break;
				case WT_END:
					st->values[i] = Int64GetDatum(st->wins[w].end);
					break;
				case WT_TIME:
					st->values[i] = Int64GetDatum(win_time(&st->wins[w]));
					break;
				default:
					break;
			}
		}
		tuplestore_putvalues(st->tstore, st->outdesc, st->values, st->nulls);
	}
	MemoryContextSwitchTo(old);
	return true;
}

/* ---------------------------------------------------------------- sessions */

static inline uint32
wt_key_hash(WtState *st, const Datum *vals, const bool *nulls)
{
	uint32		h = 0;

	for (int i = 0; i < st->npart; i++)
	{
		uint32		hi = 0x9e3779b9;

		if (!nulls[i])
			hi = DatumGetUInt32(FunctionCall1Coll(&st->keytype[i]->hash_proc_finfo,
												  st->keycoll[i], vals[i]));
		h = hash_combine(h, hi);
	}
	return h;
}

static inline bool
wt_key_equal(WtState *st, WtKey *k, const Datum *vals, const bool *nulls)
{
	for (int i = 0; i < st->npart; i++)
	{
		if (k->nulls[i] || nulls[i])
		{
			if (!(k->nulls[i] && nulls[i]))
				return false;
		}
		else if (!DatumGetBool(FunctionCall2Coll(&st->keytype[i]->eq_opr_finfo,
												 st->keycoll[i], k->vals[i], vals[i])))
			return false;
	}
	return true;
}

/*
 * Find or add the key of a row (its partition columns' values); returns
 * its index.
 */
static int
wt_key_lookup(WtState *st, const Datum *vals, const bool *nulls)
{
	uint32		h;
	int			mask;
	int			pos;
	WtKey	   *k;
	MemoryContext old;

	if (st->npart == 0)
	{
		/* one timeline */
		if (st->nkeys == 0)
		{
			k = &st->keys[0];
			memset(k, 0, sizeof(WtKey));
			k->sorted = true;
			st->nkeys = 1;
		}
		return 0;
	}

	/* rows of one key often come together */
	if (st->last_key >= 0 && wt_key_equal(st, &st->keys[st->last_key], vals, nulls))
		return st->last_key;

	h = wt_key_hash(st, vals, nulls);
	mask = st->nslots - 1;
	for (pos = h & mask; st->slots[pos] != 0; pos = (pos + 1) & mask)
	{
		k = &st->keys[st->slots[pos] - 1];
		if (k->hash == h && wt_key_equal(st, k, vals, nulls))
			return st->last_key = st->slots[pos] - 1;
	}

	/* new key */
	old = MemoryContextSwitchTo(st->arena);
	if (st->nkeys == st->capkeys)
	{
		st->capkeys *= 2;
		st->keys = repalloc_huge(st->keys, sizeof(WtKey) * st->capkeys);
	}
	k = &st->keys[st->nkeys];
	memset(k, 0, sizeof(WtKey));
	k->vals = palloc(sizeof(Datum) * st->npart);
	k->nulls = palloc(sizeof(bool) * st->npart);
	for (int i = 0; i < st->npart; i++)
	{
		k->nulls[i] = nulls[i];
		k->vals[i] = nulls[i] ? (Datum) 0 :
			datumCopy(vals[i], st->keybyval[i], st->keylen[i]);
	}
	k->hash = h;
	k->sorted = true;
	st->slots[pos] = ++st->nkeys;

	if (st->nkeys * 2 > st->nslots)
	{
		int			newn = st->nslots * 2;
		int		   *ns = palloc0(sizeof(int) * newn);
		int			i;

		for (i = 0; i < st->nkeys; i++)
		{
			int			p = st->keys[i].hash & (newn - 1);

			while (ns[p] != 0)
				p = (p + 1) & (newn - 1);
			ns[p] = i + 1;
		}
		pfree(st->slots);
		st->slots = ns;
		st->nslots = newn;
	}
	MemoryContextSwitchTo(old);
	return st->last_key = st->nkeys - 1;
}

/*
 * SESSION: keep the row under its key.
 */
static bool
wt_receive_session(TupleTableSlot *slot, DestReceiver *self)
{
	WtState    *st = (WtState *) self;
	MemoryContext old;
	WtKey	   *k;
	WtEntry    *e;
	int			ki;
	int64		ts;
	int			i;

	slot_getsomeattrs(slot, st->natts_needed);
	if (slot->tts_isnull[st->time_att])
		return true;			/* rows without a time are dropped */

	ts = DatumGetInt64(slot->tts_values[st->time_att]);
	if (TIMESTAMP_NOT_FINITE(ts))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("cannot assign an infinite timestamp to a window")));

	old = wt_row_begin(st);
	for (i = 0; i < st->npart; i++)
	{
		st->part_vals[i] = slot->tts_values[st->part_atts[i]];
		st->part_nulls[i] = slot->tts_isnull[st->part_atts[i]];
	}
	ki = wt_key_lookup(st, st->part_vals, st->part_nulls);
	k = &st->keys[ki];

	if (st->nstored > 0)
	{
		for (i = 0; i < st->nstored; i++)
		{
			int			a = st->stored_att[i];

			st->store_nulls[i] = slot->tts_isnull[a];
			st->store_values[i] = srf_store_value(slot->tts_values[a], st->store_nulls[i],
										   TupleDescAttr(st->storedesc, i)->attlen == -1);
		}
	}

	MemoryContextSwitchTo(st->arena);
	if (k->n == k->cap)
	{
		k->cap = k->cap ? k->cap * 2 : 16;
		if (k->rows == NULL)
			k->rows = palloc(sizeof(WtEntry) * k->cap);
		else
			k->rows = repalloc_huge(k->rows, sizeof(WtEntry) * k->cap);
	}
	e = &k->rows[k->n];
	if (k->n > 0 && ts < k->rows[k->n - 1].t)
		k->sorted = false;
	k->n++;
	e->t = ts;
	e->tup = NULL;
	if (st->nstored > 0)
		e->tup = heap_form_minimal_tuple(st->storedesc, st->store_values,
										 st->store_nulls);
	MemoryContextSwitchTo(old);
	return true;
}

static int
wt_entry_cmp(const void *a, const void *b)
{
	int64		ta = ((const WtEntry *) a)->t;
	int64		tb = ((const WtEntry *) b)->t;

	return ta < tb ? -1 : (ta > tb ? 1 : 0);
}

/*
 * Sweep each key's rows in time order into sessions and write them out.
 */
static void
wt_session_emit(WtState *st)
{
	TupleTableSlot *sslot = NULL;
	int64		gap = st->spec.size;
	int			ki,
				i,
				j,
				c;

	if (st->storedesc)
		sslot = MakeSingleTupleTableSlot(st->storedesc, &TTSOpsMinimalTuple);

	for (ki = 0; ki < st->nkeys; ki++)
	{
		WtKey	   *k = &st->keys[ki];

		if (!k->sorted)
			qsort(k->rows, k->n, sizeof(WtEntry), wt_entry_cmp);

		for (i = 0; i < k->n; i = j)
		{
			WinBounds	w;
			int64		end;

			/* rows j with t_j <= t_{j-1} + gap continue the session */
			w.start = k->rows[i].t;
			for (j = i + 1; j < k->n; j++)
			{
				if (pg_add_s64_overflow(k->rows[j - 1].t, gap, &end) ||
					k->rows[j].t > end)
					break;
			}
			if (pg_add_s64_overflow(k->rows[j - 1].t, gap, &w.end) ||
				w.end > END_TIMESTAMP)
				ereport(ERROR,
						(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
						 errmsg("window bounds out of the timestamp range")));
			w.time = w.end - 1000;

			for (; i < j; i++)
			{
				WtEntry    *e = &k->rows[i];

				CHECK_FOR_INTERRUPTS();
				if (e->tup)
				{
					ExecStoreMinimalTuple(e->tup, sslot, false);
					slot_getallattrs(sslot);
				}
				for (c = 0; c < st->nout; c++)
				{
					WtOutCol   *oc = &st->out[c];

					st->nulls[c] = false;
					switch (oc->src)
					{
						case WT_START:
							st->values[c] = Int64GetDatum(w.start);
							break;
						case WT_END:
							st->values[c] = Int64GetDatum(w.end);
							break;
						case WT_TIME:
							st->values[c] = Int64GetDatum(win_time(&w));
							break;
						case WT_INPUT:
							if (oc->att == st->time_att)
								st->values[c] = Int64GetDatum(e->t);
							else if (st->out_keyidx[c] >= 0)
							{
								st->values[c] = k->vals[st->out_keyidx[c]];
								st->nulls[c] = k->nulls[st->out_keyidx[c]];
							}
							else
							{
								st->values[c] = sslot->tts_values[oc->stored];
								st->nulls[c] = sslot->tts_isnull[oc->stored];
							}
							break;
					}
				}
				tuplestore_putvalues(st->tstore, st->outdesc, st->values, st->nulls);
			}
			i = j;
		}
		/* this key is done: give its memory back early */
		if (k->rows)
		{
			for (i = 0; i < k->n; i++)
				if (k->rows[i].tup)
					pfree(k->rows[i].tup);
			pfree(k->rows);
			k->rows = NULL;
		}
	}
	if (sslot)
		ExecDropSingleTupleTableSlot(sslot);
}

static void
wt_shutdown(DestReceiver *self)
{
}

static void
wt_destroy(DestReceiver *self)
{
}
