/*-------------------------------------------------------------------------
 *
 * ingest_writer.c
 *	  Writes a batch of parsed reads into a stream's partitions, in the
 *	  caller's transaction.
 *
 * A batch is written in four steps:
 *
 * 1. Partitions on demand.  Each row's bucket is date_bin(partition_interval,
 *	  event_time, '2000-01-01 UTC'), the bounds maintenance uses.  The
 *	  buckets of the batch are checked against the stream's partition
 *	  descriptor in the relcache (always current: attaching or dropping a
 *	  partition invalidates it), and asset_stream._ensure_partition() is
 *	  called, through SPI, only for a bucket that no partition overlaps.
 *	  Buckets that end before now() - retention are not made (their rows go
 *	  to the default partition, where maintenance deletes them), nor are
 *	  buckets that start past now() + asset_stream.max_future (the CHECK
 *	  refuses their rows anyway).  Partitions are made as the stream's owner
 *	  with search_path pinned, after locking the stream's stream_config row
 *	  as maintenance does, so that two writers (or a writer and the
 *	  maintenance worker) never make the same partition at once.  A
 *	  partition that cannot be made is reported as a WARNING and its rows go
 *	  to the default partition.
 *
 * 2. Insert.  Slots are built from the IngestRow values (no text round
 *	  trip), routed with ExecFindPartition and buffered per partition, then
 *	  written with table_multi_insert and a BulkInsertState, indexes and
 *	  AFTER triggers as in COPY FROM (commands/copyfrom.c).  CHECK and NOT
 *	  NULL constraints are checked per row.  Partitions with BEFORE ROW
 *	  triggers, and streams with transition tables, get row-at-a-time
 *	  inserts.  Columns a user added to the stream get their defaults.
 *	  received_at is the transaction's now().  No privilege is checked: the
 *	  caller is trusted (a source's worker; asset_stream.ingest() checks
 *	  INSERT itself).
 *
 * 3. Fallback.  The insert runs in a subtransaction.  If it fails with an
 *	  error that can be about the rows (anything but errors of the
 *	  environment: cancel, shutdown, deadlock, serialization, out of
 *	  resources, lock not available, I/O, internal errors, and class 42:
 *	  privileges, undefined objects, type mismatches), the subtransaction is rolled back and the rows are written
 *	  again by halves, each in its own subtransaction, down to single rows:
 *	  the same result as one subtransaction per row, in O(k log n)
 *	  subtransactions for k bad rows.  A single row that still fails is
 *	  refused: it goes to asset_stream.rejected with the error message and
 *	  the row rendered as JSON.  Other errors propagate.
 *
 * 4. The batch's rejects and the refused rows go to asset_stream.rejected
 *	  with one SPI INSERT (unnest of two arrays), as the table's owner.  A
 *	  failure there propagates (the caller rolls the batch back).
 *
 * Everything is allocated in a memory context of this module that is
 * reset at the start and end of each batch.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "common/int.h"
#include "common/shortest_dec.h"
#include "executor/execPartition.h"
#include "executor/executor.h"
#include "executor/nodeModifyTable.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "optimizer/optimizer.h"
#include "parser/parse_func.h"
#include "partitioning/partbounds.h"
#include "partitioning/partdesc.h"
#include "rewrite/rewriteHandler.h"
#include "storage/lmgr.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/guc.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"

#include "asset_stream.h"
#include "ingest.h"

/* Flush the partition buffers at this many rows or bytes (as COPY does). */
#define WRITER_MAX_BUFFERED_TUPLES	1000
#define WRITER_MAX_BUFFERED_BYTES	65535
/* Keep at most this many partition buffers after a flush. */
#define WRITER_MAX_PARTITION_BUFFERS 32

#define WRITER_SRID 4326

/* The canonical columns of a stream, found by name. */
typedef enum WriterColumn
{
	WC_ASSET_ID,
	WC_EVENT_TIME,
	WC_SOURCE_ID,
	WC_RECEIVED_AT,
	WC_POSITION,
	WC_RSSI,
	WC_ATTRS,
	WC_NCOLUMNS
} WriterColumn;

static const char *const writer_column_names[WC_NCOLUMNS] = {
	"asset_id", "event_time", "source_id", "received_at", "position", "rssi", "attrs"
};

/* A stream's row of asset_stream.stream_config, cached per backend. */
typedef struct StreamConfig
{
	Oid			relid;			/* hash key */
	int64		stride_us;		/* partition_interval */
	bool		has_retention;
	Interval	retention;
	char		durability[16];
} StreamConfig;

/* Per-partition buffer of slots waiting for table_multi_insert. */
typedef struct WriterBuffer
{
	ResultRelInfo *rri;
	BulkInsertState bistate;
	TupleDesc	desc;			/* unpinned copy of the partition's */
	const TupleTableSlotOps *ops;
	int			nused;
	TupleTableSlot *slots[WRITER_MAX_BUFFERED_TUPLES];
} WriterBuffer;

/* The executor state of one insert attempt. */
typedef struct WriterState
{
	EState	   *estate;
	ModifyTableState *mtstate;
	ResultRelInfo *root;
	PartitionTupleRouting *proute;
	TransitionCaptureState *tcs;
	TupleTableSlot *rootslot;
	BulkInsertState single_bistate; /* for row-at-a-time inserts */
	CommandId	cid;
	bool		multi_ok;		/* multi-insert allowed at all */
	List	   *buffers;
	int			buffered;
	Size		buffered_bytes;
	int64		written;
	/* root column layout */
	AttrNumber	col[WC_NCOLUMNS];	/* 0: the stream has no such column */
	int			ndefaults;
	AttrNumber *default_att;
	ExprState **default_expr;
} WriterState;

/* What one batch write needs throughout. */
typedef struct WriterCtx
{
	Oid			relid;
	const char *source_name;
	IngestBatch *batch;
	TimestampTz now;
	int64		written;
	/* rows the insert refused: index into batch->rows, and the reason */
	int			nrefused;
	int		   *refused_row;
	char	  **refused_error;
} WriterCtx;

static MemoryContext writer_cxt = NULL;
static HTAB *stream_configs = NULL;

/* ST_Point(float8, float8, integer) of PostGIS, resolved once. */
static Oid	point_fn_geomtype = InvalidOid;
static Oid	point_fn_oid = InvalidOid;
static FmgrInfo point_fn;

static void writer_init(void);
static void stream_config_inval(Datum arg, Oid relid);
static StreamConfig *stream_config_get(Oid relid);
static void ensure_partitions(WriterCtx *ctx, StreamConfig *cfg);
static void write_rows(WriterCtx *ctx, int first, int count);
static int64 insert_rows(WriterCtx *ctx, int first, int count);
static void insert_rejected(WriterCtx *ctx);
static char *row_to_json_text(const IngestRow *row);
static bool error_is_about_rows(int sqlerrcode);

/*
 * Write a batch (see the file header).  Must run in a transaction with an
 * active snapshot.
 */
void
ingest_write_batch(Oid stream_relid, const char *source_name,
				   IngestBatch *batch, IngestWriteResult *result)
{
	WriterCtx	ctx;
	MemoryContext old;
	StreamConfig *cfg;

	result->rows_written = 0;
	result->rows_rejected = 0;
	if (batch->nrows == 0 && batch->nrejects == 0)
		return;

	writer_init();
	MemoryContextReset(writer_cxt);
	old = MemoryContextSwitchTo(writer_cxt);

	memset(&ctx, 0, sizeof(ctx));
	ctx.relid = stream_relid;
	ctx.source_name = source_name ? source_name : "unknown";
	ctx.batch = batch;
	ctx.now = GetCurrentTransactionStartTimestamp();
	ctx.refused_row = palloc(sizeof(int) * Max(batch->nrows, 1));
	ctx.refused_error = palloc(sizeof(char *) * Max(batch->nrows, 1));

	if (batch->nrows > 0)
	{
		/* held to the end of the transaction, as an INSERT would */
		LockRelationOid(stream_relid, RowExclusiveLock);
		if (!SearchSysCacheExists1(RELOID, ObjectIdGetDatum(stream_relid)))
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_TABLE),
					 errmsg("stream with OID %u does not exist", stream_relid)));
		cfg = stream_config_get(stream_relid);
		ensure_partitions(&ctx, cfg);
		write_rows(&ctx, 0, batch->nrows);
	}

	if (batch->nrejects > 0 || ctx.nrefused > 0)
		insert_rejected(&ctx);

	result->rows_written = ctx.written;
	result->rows_rejected = batch->nrejects + ctx.nrefused;

	MemoryContextSwitchTo(old);
	MemoryContextReset(writer_cxt);
}

/* ---------------------------------------------------------------------
 * Stream configuration cache
 * ---------------------------------------------------------------------
 */

static void
writer_init(void)
{
	HASHCTL		hctl;

	if (writer_cxt != NULL)
		return;
	writer_cxt = AllocSetContextCreate(TopMemoryContext,
									   "asset_stream ingest writer",
									   ALLOCSET_DEFAULT_SIZES);
	memset(&hctl, 0, sizeof(hctl));
	hctl.keysize = sizeof(Oid);
	hctl.entrysize = sizeof(StreamConfig);
	stream_configs = hash_create("asset_stream stream configs", 16, &hctl,
								 HASH_ELEM | HASH_BLOBS);
	CacheRegisterRelcacheCallback(stream_config_inval, (Datum) 0);
}

/*
 * A stream's config never changes, but its relid can be reused after the
 * stream is dropped: forget an entry whenever its relation is invalidated.
 */
static void
stream_config_inval(Datum arg, Oid relid)
{
	if (stream_configs == NULL)
		return;
	if (OidIsValid(relid))
		hash_search(stream_configs, &relid, HASH_REMOVE, NULL);
	else
	{
		HASH_SEQ_STATUS status;
		StreamConfig *entry;

		hash_seq_init(&status, stream_configs);
		while ((entry = hash_seq_search(&status)) != NULL)
			hash_search(stream_configs, &entry->relid, HASH_REMOVE, NULL);
	}
}

static StreamConfig *
stream_config_get(Oid relid)
{
	StreamConfig *cfg;
	StreamConfig loaded;
	bool		found;
	Oid			argtypes[1] = {OIDOID};
	Datum		args[1];
	bool		isnull;
	Interval   *iv;
	int			rc;

	cfg = hash_search(stream_configs, &relid, HASH_FIND, &found);
	if (found)
		return cfg;

	memset(&loaded, 0, sizeof(loaded));
	loaded.relid = relid;
	args[0] = ObjectIdGetDatum(relid);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	rc = SPI_execute_with_args("SELECT partition_interval, retention, durability"
							   " FROM asset_stream.stream_config WHERE relid::pg_catalog.oid = $1",
							   1, argtypes, args, NULL, true, 1);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "reading asset_stream.stream_config failed: %s",
			 SPI_result_code_string(rc));
	if (SPI_processed != 1)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation \"%s\" is not a stream", get_rel_name(relid)),
				 errhint("asset_stream.streams lists the streams.")));
	iv = DatumGetIntervalP(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	if (iv->month != 0 || (int64) iv->day * USECS_PER_DAY + iv->time <= 0)
		elog(ERROR, "stream \"%s\" has an invalid partition_interval", get_rel_name(relid));
	loaded.stride_us = (int64) iv->day * USECS_PER_DAY + iv->time;
	iv = DatumGetIntervalP(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull));
	loaded.has_retention = !isnull;
	if (!isnull)
		loaded.retention = *iv;
	strlcpy(loaded.durability,
			SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3),
			sizeof(loaded.durability));
	SPI_finish();

	cfg = hash_search(stream_configs, &relid, HASH_ENTER, &found);
	*cfg = loaded;
	return cfg;
}

/* ---------------------------------------------------------------------
 * Partitions on demand
 * ---------------------------------------------------------------------
 */

/* Start of the bucket of t: date_bin(stride, t, '2000-01-01 UTC'). */
static inline TimestampTz
bucket_of(TimestampTz t, int64 stride)
{
	int64		r = t % stride;		/* the origin is timestamp 0 */

	if (r < 0)
		r += stride;
	return t - r;
}

static int
cmp_timestamptz(const void *a, const void *b)
{
	TimestampTz x = *(const TimestampTz *) a;
	TimestampTz y = *(const TimestampTz *) b;

	return (x > y) - (x < y);
}

/* Compare range bound i of a one-column range partitioning with v. */
static inline int
bound_cmp(PartitionBoundInfo bi, int i, TimestampTz v)
{
	TimestampTz b;

	if (bi->kind[i][0] == PARTITION_RANGE_DATUM_MINVALUE)
		return -1;
	if (bi->kind[i][0] == PARTITION_RANGE_DATUM_MAXVALUE)
		return 1;
	b = DatumGetTimestampTz(bi->datums[i][0]);
	return (b > v) - (b < v);
}

/*
 * Does a partition (other than the default) overlap [lo, hi)?  Then
 * _ensure_partition would make none.  The bounds are searched as
 * get_partition_for_tuple does: the greatest bound <= lo starts the range
 * that holds lo.
 */
static bool
bucket_covered(PartitionDesc pd, TimestampTz lo, TimestampTz hi)
{
	PartitionBoundInfo bi = pd->boundinfo;
	int			l = 0,
				h,
				i = -1;

	if (bi == NULL || bi->strategy != PARTITION_STRATEGY_RANGE || bi->ndatums == 0)
		return false;
	h = bi->ndatums - 1;
	while (l <= h)
	{
		int			m = l + (h - l) / 2;

		if (bound_cmp(bi, m, lo) <= 0)
		{
			i = m;
			l = m + 1;
		}
		else
			h = m - 1;
	}
	if (bi->indexes[i + 1] >= 0)
		return true;			/* a partition holds lo */
	/* a bound inside (lo, hi) means a partition starts or ends there */
	return i + 1 < bi->ndatums && bound_cmp(bi, i + 1, hi) < 0;
}

static Oid
rel_owner(Oid relid)
{
	HeapTuple	tup = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
	Oid			owner;

	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for relation %u", relid);
	owner = ((Form_pg_class) GETSTRUCT(tup))->relowner;
	ReleaseSysCache(tup);
	return owner;
}

/* Run one SPI statement as a given role with a safe search_path. */
static void
spi_exec_as(Oid role, const char *sql, int nargs, Oid *argtypes, Datum *args,
			const char *nulls, int expected)
{
	Oid			save_userid;
	int			save_sec;
	int			nestlevel;
	int			rc;

	GetUserIdAndSecContext(&save_userid, &save_sec);
	SetUserIdAndSecContext(role, save_sec | SECURITY_LOCAL_USERID_CHANGE);
	nestlevel = NewGUCNestLevel();
	(void) set_config_option("search_path", "pg_catalog, pg_temp",
							 PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	rc = SPI_execute_with_args(sql, nargs, argtypes, args, nulls, false, 0);
	if (rc != expected)
		elog(ERROR, "SPI_execute_with_args failed: %s (%s)",
			 SPI_result_code_string(rc), sql);
	AtEOXact_GUC(true, nestlevel);
	SetUserIdAndSecContext(save_userid, save_sec);
}

/*
 * Make the partitions the batch's rows need (see the file header).
 */
static void
ensure_partitions(WriterCtx *ctx, StreamConfig *cfg)
{
	IngestBatch *batch = ctx->batch;
	Relation	rel;
	PartitionDesc pd;
	TimestampTz *buckets;
	TimestampTz *missing;
	TimestampTz cutoff = DT_NOBEGIN;
	TimestampTz future = DT_NOEND;
	volatile Oid defoid = InvalidOid;
	int			nbuckets = 0,
				nmissing = 0,
				i;

	rel = table_open(ctx->relid, NoLock);	/* locked by the caller */
	if (rel->rd_rel->relkind != RELKIND_PARTITIONED_TABLE)
	{
		table_close(rel, NoLock);
		return;
	}
	pd = RelationGetPartitionDesc(rel, true);

	buckets = palloc(sizeof(TimestampTz) * batch->nrows);
	for (i = 0; i < batch->nrows; i++)
	{
		TimestampTz t = batch->rows[i].event_time;
		TimestampTz b;

		if (TIMESTAMP_NOT_FINITE(t))
			continue;
		b = bucket_of(t, cfg->stride_us);
		if (nbuckets == 0 || buckets[nbuckets - 1] != b)
			buckets[nbuckets++] = b;
	}
	if (nbuckets > 1)
	{
		int			n = 1;

		qsort(buckets, nbuckets, sizeof(TimestampTz), cmp_timestamptz);
		for (i = 1; i < nbuckets; i++)
			if (buckets[i] != buckets[n - 1])
				buckets[n++] = buckets[i];
		nbuckets = n;
	}

	if (cfg->has_retention)
		cutoff = DatumGetTimestampTz(DirectFunctionCall2(timestamptz_mi_interval,
														 TimestampTzGetDatum(ctx->now),
														 IntervalPGetDatum(&cfg->retention)));
	if (as_max_future_s >= 0)
		future = GetCurrentTimestamp() + (int64) as_max_future_s * USECS_PER_SEC;

	missing = palloc(sizeof(TimestampTz) * Max(nbuckets, 1));
	for (i = 0; i < nbuckets; i++)
	{
		TimestampTz lo = buckets[i];
		TimestampTz hi;

		if (pg_add_s64_overflow(lo, cfg->stride_us, &hi) || !IS_VALID_TIMESTAMP(hi))
			continue;
		if (hi <= cutoff)
			continue;			/* past retention: default partition */
		if (lo > future)
			continue;			/* the CHECK refuses these rows */
		if (bucket_covered(pd, lo, hi))
			continue;
		missing[nmissing++] = lo;
	}
	if (pd->boundinfo && pd->boundinfo->default_index >= 0)
		defoid = pd->oids[pd->boundinfo->default_index];
	table_close(rel, NoLock);

	if (nmissing == 0)
		return;

	/*
	 * Make them in a subtransaction: a partition that cannot be made only
	 * sends its rows to the default partition.
	 */
	{
		MemoryContext oldcxt = CurrentMemoryContext;
		ResourceOwner oldowner = CurrentResourceOwner;
		Oid			owner = rel_owner(ctx->relid);
		Oid			cfg_owner;

		cfg_owner = rel_owner(get_relname_relid("stream_config",
												get_namespace_oid("asset_stream", false)));

		BeginInternalSubTransaction(NULL);
		MemoryContextSwitchTo(oldcxt);
		PG_TRY();
		{
			Oid			lock_types[1] = {OIDOID};
			Datum		lock_args[1] = {ObjectIdGetDatum(ctx->relid)};
			Oid			types[5] = {REGCLASSOID, REGCLASSOID, TIMESTAMPTZOID,
			TIMESTAMPTZOID, TEXTOID};
			Datum		args[5];
			char		nulls[6] = "     ";

			if (SPI_connect() != SPI_OK_CONNECT)
				elog(ERROR, "SPI_connect failed");
			/* one maker of partitions per stream at a time, as maintenance */
			spi_exec_as(cfg_owner,
						"SELECT 1 FROM asset_stream.stream_config"
						" WHERE relid::pg_catalog.oid = $1 FOR UPDATE",
						1, lock_types, lock_args, NULL, SPI_OK_SELECT);
			args[0] = ObjectIdGetDatum(ctx->relid);
			args[1] = ObjectIdGetDatum(defoid);
			if (!OidIsValid(defoid))
				nulls[1] = 'n';
			args[4] = CStringGetTextDatum(cfg->durability);
			for (i = 0; i < nmissing; i++)
			{
				CHECK_FOR_INTERRUPTS();
				args[2] = TimestampTzGetDatum(missing[i]);
				args[3] = TimestampTzGetDatum(missing[i] + cfg->stride_us);
				spi_exec_as(owner,
							"SELECT asset_stream._ensure_partition($1, $2, $3, $4, $5)",
							5, types, args, nulls, SPI_OK_SELECT);
			}
			SPI_finish();
			ReleaseCurrentSubTransaction();
			MemoryContextSwitchTo(oldcxt);
			CurrentResourceOwner = oldowner;
		}
		PG_CATCH();
		{
			ErrorData  *edata;

			MemoryContextSwitchTo(oldcxt);
			edata = CopyErrorData();
			FlushErrorState();
			RollbackAndReleaseCurrentSubTransaction();
			MemoryContextSwitchTo(oldcxt);
			CurrentResourceOwner = oldowner;
			if (ERRCODE_TO_CATEGORY(edata->sqlerrcode) == ERRCODE_OPERATOR_INTERVENTION)
				ReThrowError(edata);
			ereport(WARNING,
					(errcode(edata->sqlerrcode),
					 errmsg("could not make a partition of stream \"%s\": %s",
							get_rel_name(ctx->relid), edata->message),
					 errdetail("Its rows go to the default partition until maintenance makes it.")));
			FreeErrorData(edata);
		}
		PG_END_TRY();
	}
}

/* ---------------------------------------------------------------------
 * Insert: executor setup as in COPY FROM
 * ---------------------------------------------------------------------
 */

static bool
is_geometry_type(Oid typid)
{
	HeapTuple	tup = SearchSysCache1(TYPEOID, ObjectIdGetDatum(typid));
	bool		result;

	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for type %u", typid);
	result = strcmp(NameStr(((Form_pg_type) GETSTRUCT(tup))->typname), "geometry") == 0;
	ReleaseSysCache(tup);
	return result;
}

/* Resolve <schema of geometry>.st_point(float8, float8, integer). */
static void
lookup_point_fn(Oid geomtype)
{
	HeapTuple	tup;
	Oid			nsp;
	Oid			argtypes[3] = {FLOAT8OID, FLOAT8OID, INT4OID};
	Oid			fn;

	if (geomtype == point_fn_geomtype && OidIsValid(point_fn_oid) &&
		SearchSysCacheExists1(PROCOID, ObjectIdGetDatum(point_fn_oid)))
		return;

	tup = SearchSysCache1(TYPEOID, ObjectIdGetDatum(geomtype));
	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for type %u", geomtype);
	nsp = ((Form_pg_type) GETSTRUCT(tup))->typnamespace;
	ReleaseSysCache(tup);
	fn = LookupFuncName(list_make2(makeString(get_namespace_name(nsp)),
								   makeString("st_point")),
						3, argtypes, true);
	if (!OidIsValid(fn))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_FUNCTION),
				 errmsg("function %s.st_point(double precision, double precision, integer) does not exist",
						get_namespace_name(nsp)),
				 errhint("asset_stream needs PostGIS 3.2 or later.")));
	point_fn_oid = InvalidOid;
	fmgr_info_cxt(fn, &point_fn, TopMemoryContext);
	point_fn_oid = fn;
	point_fn_geomtype = geomtype;
}

/* Find the canonical columns and the defaults of the others. */
static void
writer_layout(WriterState *ws, Relation rel)
{
	TupleDesc	tupdesc = RelationGetDescr(rel);
	static const Oid expected[WC_NCOLUMNS] = {
		TEXTOID, TIMESTAMPTZOID, TEXTOID, TIMESTAMPTZOID, InvalidOid, FLOAT4OID, JSONBOID
	};
	int			a,
				c;

	memset(ws->col, 0, sizeof(ws->col));
	ws->ndefaults = 0;
	ws->default_att = palloc(sizeof(AttrNumber) * tupdesc->natts);
	ws->default_expr = palloc(sizeof(ExprState *) * tupdesc->natts);

	for (a = 0; a < tupdesc->natts; a++)
	{
		Form_pg_attribute att = TupleDescAttr(tupdesc, a);
		bool		canonical = false;

		if (att->attisdropped)
			continue;
		for (c = 0; c < WC_NCOLUMNS; c++)
		{
			if (strcmp(NameStr(att->attname), writer_column_names[c]) != 0)
				continue;
			if (c == WC_POSITION ? !is_geometry_type(att->atttypid)
				: att->atttypid != expected[c])
				ereport(ERROR,
						(errcode(ERRCODE_DATATYPE_MISMATCH),
						 errmsg("column \"%s\" of stream \"%s\" has type %s",
								NameStr(att->attname), RelationGetRelationName(rel),
								format_type_be(att->atttypid)),
						 errdetail("A stream's columns must keep the types create_stream() gave them.")));
			ws->col[c] = att->attnum;
			canonical = true;
			if (c == WC_POSITION)
				lookup_point_fn(att->atttypid);
			break;
		}
		if (!canonical && !att->attgenerated)
		{
			Expr	   *def = (Expr *) build_column_default(rel, att->attnum);

			if (def != NULL)
			{
				def = expression_planner(def);
				ws->default_att[ws->ndefaults] = att->attnum;
				ws->default_expr[ws->ndefaults] = ExecInitExpr(def, NULL);
				ws->ndefaults++;
			}
		}
	}
	if (ws->col[WC_ASSET_ID] == 0 || ws->col[WC_EVENT_TIME] == 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("relation \"%s\" has no column asset_id or event_time",
						RelationGetRelationName(rel))));
}

static void
writer_begin(WriterState *ws, Oid relid)
{
	EState	   *estate;
	RangeTblEntry *rte;
	ResultRelInfo *root;
	Relation	rel;
	MemoryContext old;

	memset(ws, 0, sizeof(*ws));
	ws->estate = estate = CreateExecutorState();
	old = MemoryContextSwitchTo(estate->es_query_cxt);

	rte = makeNode(RangeTblEntry);
	rte->rtekind = RTE_RELATION;
	rte->relid = relid;
	rte->relkind = get_rel_relkind(relid);
	rte->rellockmode = RowExclusiveLock;
	rte->requiredPerms = ACL_INSERT;
	ExecInitRangeTable(estate, list_make1(rte));

	ws->root = root = makeNode(ResultRelInfo);
	ExecInitResultRelation(estate, root, 1);
	CheckValidResultRel(root, CMD_INSERT);
	ExecOpenIndices(root, false);
	rel = root->ri_RelationDesc;

	ws->mtstate = makeNode(ModifyTableState);
	ws->mtstate->ps.plan = NULL;
	ws->mtstate->ps.state = estate;
	ws->mtstate->operation = CMD_INSERT;
	ws->mtstate->mt_nrels = 1;
	ws->mtstate->resultRelInfo = root;
	ws->mtstate->rootResultRelInfo = root;

	if (root->ri_FdwRoutine != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("cannot write reads into foreign table \"%s\"",
						RelationGetRelationName(rel))));

	writer_layout(ws, rel);

	AfterTriggerBeginQuery();
	ws->tcs = ws->mtstate->mt_transition_capture =
		MakeTransitionCaptureState(rel->trigdesc, relid, CMD_INSERT);
	if (rel->rd_rel->relkind == RELKIND_PARTITIONED_TABLE)
		ws->proute = ExecSetupPartitionTupleRouting(estate, rel);

	/* as CopyFrom: when multi-insert is impossible for the whole stream */
	ws->multi_ok = !(root->ri_TrigDesc != NULL &&
					 (root->ri_TrigDesc->trig_insert_before_row ||
					  root->ri_TrigDesc->trig_insert_instead_row ||
					  (ws->proute != NULL && root->ri_TrigDesc->trig_insert_new_table)));

	ws->rootslot = table_slot_create(rel, &estate->es_tupleTable);
	ws->single_bistate = GetBulkInsertState();
	ws->cid = GetCurrentCommandId(true);

	ExecBSInsertTriggers(estate, root);
	MemoryContextSwitchTo(old);
}

static WriterBuffer *
buffer_for(WriterState *ws, ResultRelInfo *rri)
{
	WriterBuffer *buf = (WriterBuffer *) rri->ri_CopyMultiInsertBuffer;

	if (buf == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(ws->estate->es_query_cxt);

		buf = palloc0(sizeof(WriterBuffer));
		buf->rri = rri;
		buf->bistate = GetBulkInsertState();

		/*
		 * Slots over a copy of the descriptor, which is not reference
		 * counted: slots over the relation's own descriptor pin it in the
		 * resource owner, one entry per slot, which cost 10 % of a batch.
		 */
		buf->desc = CreateTupleDescCopy(RelationGetDescr(rri->ri_RelationDesc));
		buf->ops = table_slot_callbacks(rri->ri_RelationDesc);
		rri->ri_CopyMultiInsertBuffer = (struct CopyMultiInsertBuffer *) buf;
		ws->buffers = lappend(ws->buffers, buf);
		MemoryContextSwitchTo(old);
	}
	return buf;
}

static void
buffer_flush(WriterState *ws, WriterBuffer *buf)
{
	EState	   *estate = ws->estate;
	ResultRelInfo *rri = buf->rri;
	MemoryContext old;
	int			i;

	if (buf->nused == 0)
		return;
	old = MemoryContextSwitchTo(GetPerTupleMemoryContext(estate));
	table_multi_insert(rri->ri_RelationDesc, buf->slots, buf->nused,
					   ws->cid, 0, buf->bistate);
	MemoryContextSwitchTo(old);

	for (i = 0; i < buf->nused; i++)
	{
		if (rri->ri_NumIndices > 0)
		{
			List	   *recheck;

			recheck = ExecInsertIndexTuples(rri, buf->slots[i], estate,
											false, false, NULL, NIL);
			ExecARInsertTriggers(estate, rri, buf->slots[i], recheck, ws->tcs);
			list_free(recheck);
		}
		else if (rri->ri_TrigDesc != NULL &&
				 (rri->ri_TrigDesc->trig_insert_after_row ||
				  rri->ri_TrigDesc->trig_insert_new_table))
			ExecARInsertTriggers(estate, rri, buf->slots[i], NIL, ws->tcs);
		ExecClearTuple(buf->slots[i]);
	}
	ws->written += buf->nused;
	buf->nused = 0;
}

static void
buffer_cleanup(WriterBuffer *buf)
{
	int			i;

	Assert(buf->nused == 0);
	buf->rri->ri_CopyMultiInsertBuffer = NULL;
	FreeBulkInsertState(buf->bistate);
	for (i = 0; i < WRITER_MAX_BUFFERED_TUPLES && buf->slots[i] != NULL; i++)
		ExecDropSingleTupleTableSlot(buf->slots[i]);
	table_finish_bulk_insert(buf->rri->ri_RelationDesc, 0);
	pfree(buf);
}

/* Flush every buffer; keep at most WRITER_MAX_PARTITION_BUFFERS of them. */
static void
flush_all(WriterState *ws, ResultRelInfo *current)
{
	ListCell   *lc;

	foreach(lc, ws->buffers)
		buffer_flush(ws, (WriterBuffer *) lfirst(lc));
	ws->buffered = 0;
	ws->buffered_bytes = 0;

	while (list_length(ws->buffers) > WRITER_MAX_PARTITION_BUFFERS)
	{
		WriterBuffer *buf = (WriterBuffer *) linitial(ws->buffers);

		if (buf->rri == current)
		{
			ws->buffers = list_delete_first(ws->buffers);
			ws->buffers = lappend(ws->buffers, buf);
			buf = (WriterBuffer *) linitial(ws->buffers);
		}
		buffer_cleanup(buf);
		ws->buffers = list_delete_first(ws->buffers);
	}
}

static void
writer_end(WriterState *ws)
{
	EState	   *estate = ws->estate;
	ListCell   *lc;

	flush_all(ws, NULL);
	FreeBulkInsertState(ws->single_bistate);
	table_finish_bulk_insert(ws->root->ri_RelationDesc, 0);

	ExecASInsertTriggers(estate, ws->root, ws->tcs);
	AfterTriggerEndQuery(estate);
	ExecResetTupleTable(estate->es_tupleTable, false);

	foreach(lc, ws->buffers)
		buffer_cleanup((WriterBuffer *) lfirst(lc));
	list_free(ws->buffers);
	ws->buffers = NIL;

	if (ws->proute)
		ExecCleanupTupleRouting(ws->mtstate, ws->proute);
	ExecCloseResultRelations(estate);
	ExecCloseRangeTableRelations(estate);
	FreeExecutorState(estate);
}

/* Fill the root slot with one read (in the per-tuple memory context). */
static void
fill_root_slot(WriterState *ws, const IngestRow *row, TimestampTz now)
{
	TupleTableSlot *slot = ws->rootslot;
	Datum	   *v = slot->tts_values;
	bool	   *n = slot->tts_isnull;
	AttrNumber *col = ws->col;
	int			i;

	ExecClearTuple(slot);
	memset(n, true, sizeof(bool) * slot->tts_tupleDescriptor->natts);

	if (row->asset_id != NULL)
	{
		v[col[WC_ASSET_ID] - 1] = PointerGetDatum(cstring_to_text(row->asset_id));
		n[col[WC_ASSET_ID] - 1] = false;
	}
	v[col[WC_EVENT_TIME] - 1] = TimestampTzGetDatum(row->event_time);
	n[col[WC_EVENT_TIME] - 1] = false;
	if (col[WC_SOURCE_ID] && row->source_id != NULL)
	{
		v[col[WC_SOURCE_ID] - 1] = PointerGetDatum(cstring_to_text(row->source_id));
		n[col[WC_SOURCE_ID] - 1] = false;
	}
	if (col[WC_RECEIVED_AT])
	{
		v[col[WC_RECEIVED_AT] - 1] = TimestampTzGetDatum(now);
		n[col[WC_RECEIVED_AT] - 1] = false;
	}
	if (col[WC_POSITION] && row->has_position)
	{
		v[col[WC_POSITION] - 1] = FunctionCall3(&point_fn,
												Float8GetDatum(row->lon),
												Float8GetDatum(row->lat),
												Int32GetDatum(WRITER_SRID));
		n[col[WC_POSITION] - 1] = false;
	}
	if (col[WC_RSSI] && row->has_rssi)
	{
		v[col[WC_RSSI] - 1] = Float4GetDatum(row->rssi);
		n[col[WC_RSSI] - 1] = false;
	}
	if (col[WC_ATTRS] && row->attrs != NULL)
	{
		v[col[WC_ATTRS] - 1] = JsonbPGetDatum(row->attrs);
		n[col[WC_ATTRS] - 1] = false;
	}
	if (ws->ndefaults > 0)
	{
		ExprContext *econtext = GetPerTupleExprContext(ws->estate);

		for (i = 0; i < ws->ndefaults; i++)
		{
			int			a = ws->default_att[i] - 1;

			v[a] = ExecEvalExpr(ws->default_expr[i], econtext, &n[a]);
		}
	}
	ExecStoreVirtualTuple(slot);
}

/* Insert rows [first, first + count) in the current (sub)transaction. */
static int64
insert_rows(WriterCtx *ctx, int first, int count)
{
	WriterState ws;
	EState	   *estate;
	ResultRelInfo *prev = NULL;
	bool		leaf_multi = false;
	bool		has_br = false;
	MemoryContext query_cxt;
	MemoryContext old;
	int			r;

	writer_begin(&ws, ctx->relid);
	estate = ws.estate;
	query_cxt = estate->es_query_cxt;
	old = MemoryContextSwitchTo(query_cxt);

	if (ws.proute == NULL)
	{
		/* a stream that is not partitioned: one buffer, for the root */
		prev = ws.root;
		has_br = ws.root->ri_TrigDesc && ws.root->ri_TrigDesc->trig_insert_before_row;
		leaf_multi = ws.multi_ok;
	}

	for (r = first; r < first + count; r++)
	{
		const IngestRow *row = &ctx->batch->rows[r];
		TupleTableSlot *slot;
		ResultRelInfo *rri;

		CHECK_FOR_INTERRUPTS();
		ResetPerTupleExprContext(estate);

		MemoryContextSwitchTo(GetPerTupleMemoryContext(estate));
		fill_root_slot(&ws, row, ctx->now);
		MemoryContextSwitchTo(query_cxt);
		slot = ws.rootslot;
		slot->tts_tableOid = RelationGetRelid(ws.root->ri_RelationDesc);

		if (ws.proute)
		{
			TupleConversionMap *map;

			rri = ExecFindPartition(ws.mtstate, ws.root, ws.proute, slot, estate);
			if (rri != prev)
			{
				has_br = rri->ri_TrigDesc && rri->ri_TrigDesc->trig_insert_before_row;
				leaf_multi = ws.multi_ok && !has_br &&
					!(rri->ri_TrigDesc && rri->ri_TrigDesc->trig_insert_instead_row) &&
					rri->ri_FdwRoutine == NULL;
				if (rri->ri_FdwRoutine != NULL)
					ereport(ERROR,
							(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
							 errmsg("cannot write reads into foreign partition \"%s\"",
									RelationGetRelationName(rri->ri_RelationDesc))));
				if (!leaf_multi && ws.buffered > 0)
					flush_all(&ws, rri);
				ReleaseBulkInsertStatePin(ws.single_bistate);
				prev = rri;
			}
			if (ws.tcs != NULL)
				ws.tcs->tcs_original_insert_tuple = !has_br ? slot : NULL;

			map = rri->ri_RootToPartitionMap;
			if (!leaf_multi)
			{
				if (map != NULL)
					slot = execute_attr_map_slot(map->attrMap, slot,
												 rri->ri_PartitionTupleSlot);
			}
			else
			{
				WriterBuffer *buf = buffer_for(&ws, rri);
				TupleTableSlot *bslot;

				if (buf->slots[buf->nused] == NULL)
					buf->slots[buf->nused] = MakeSingleTupleTableSlot(buf->desc, buf->ops);
				bslot = buf->slots[buf->nused];
				if (map != NULL)
					slot = execute_attr_map_slot(map->attrMap, slot, bslot);
				else
				{
					ExecCopySlot(bslot, slot);
					slot = bslot;
				}
			}
			slot->tts_tableOid = RelationGetRelid(rri->ri_RelationDesc);
		}
		else
		{
			rri = ws.root;
			if (leaf_multi)
			{
				WriterBuffer *buf = buffer_for(&ws, rri);

				if (buf->slots[buf->nused] == NULL)
					buf->slots[buf->nused] = MakeSingleTupleTableSlot(buf->desc, buf->ops);
				ExecCopySlot(buf->slots[buf->nused], slot);
				slot = buf->slots[buf->nused];
			}
		}

		if (has_br && !ExecBRInsertTriggers(estate, rri, slot))
			continue;			/* skipped by a trigger */

		if (rri->ri_RelationDesc->rd_att->constr &&
			rri->ri_RelationDesc->rd_att->constr->has_generated_stored)
			ExecComputeStoredGenerated(rri, estate, slot, CMD_INSERT);
		if (rri->ri_RelationDesc->rd_att->constr)
			ExecConstraints(rri, slot, estate);
		if (rri->ri_RelationDesc->rd_rel->relispartition &&
			(ws.proute == NULL || has_br))
			ExecPartitionCheck(rri, slot, estate, true);

		if (leaf_multi)
		{
			WriterBuffer *buf = (WriterBuffer *) rri->ri_CopyMultiInsertBuffer;

			ExecMaterializeSlot(slot);
			buf->nused++;
			ws.buffered++;
			ws.buffered_bytes += 64 + strlen(row->asset_id ? row->asset_id : "") +
				(row->attrs ? VARSIZE(row->attrs) : 0);
			if (ws.buffered >= WRITER_MAX_BUFFERED_TUPLES ||
				ws.buffered_bytes >= WRITER_MAX_BUFFERED_BYTES ||
				buf->nused >= WRITER_MAX_BUFFERED_TUPLES)
				flush_all(&ws, rri);
		}
		else
		{
			List	   *recheck = NIL;

			table_tuple_insert(rri->ri_RelationDesc, slot, ws.cid, 0,
							   ws.single_bistate);
			if (rri->ri_NumIndices > 0)
				recheck = ExecInsertIndexTuples(rri, slot, estate, false, false,
												NULL, NIL);
			ExecARInsertTriggers(estate, rri, slot, recheck, ws.tcs);
			list_free(recheck);
			ws.written++;
		}
	}

	writer_end(&ws);
	MemoryContextSwitchTo(old);
	return ws.written;
}

/* ---------------------------------------------------------------------
 * Subtransactions and the row fallback
 * ---------------------------------------------------------------------
 */

/*
 * May an error be about the rows being written (so that writing them
 * separately can help)?  Errors of the environment propagate instead.
 */
static bool
error_is_about_rows(int sqlerrcode)
{
	switch (ERRCODE_TO_CATEGORY(sqlerrcode))
	{
		case ERRCODE_CONNECTION_EXCEPTION:	/* 08 */
		case ERRCODE_INVALID_TRANSACTION_STATE: /* 25 */
		case ERRCODE_TRANSACTION_ROLLBACK:	/* 40: deadlock, serialization */
		case ERRCODE_SYNTAX_ERROR_OR_ACCESS_RULE_VIOLATION: /* 42 */
		case ERRCODE_INSUFFICIENT_RESOURCES:	/* 53 */
		case ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE:	/* 55: lock not available */
		case ERRCODE_OPERATOR_INTERVENTION: /* 57: cancel, shutdown */
		case ERRCODE_SYSTEM_ERROR:	/* 58: I/O */
		case ERRCODE_INTERNAL_ERROR:	/* XX */
			return false;
		default:
			return true;
	}
}

/*
 * Write rows [first, first + count) in a subtransaction; on an error about
 * the rows, write each half separately, down to single rows, and refuse a
 * single row that fails.
 */
static void
write_rows(WriterCtx *ctx, int first, int count)
{
	MemoryContext oldcxt = CurrentMemoryContext;
	ResourceOwner oldowner = CurrentResourceOwner;
	ErrorData  *volatile edata = NULL;

	if (count <= 0)
		return;
	CHECK_FOR_INTERRUPTS();

	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(oldcxt);
	PG_TRY();
	{
		int64		n = insert_rows(ctx, first, count);

		ReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(oldcxt);
		CurrentResourceOwner = oldowner;
		ctx->written += n;
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(oldcxt);
		edata = CopyErrorData();
		FlushErrorState();
		RollbackAndReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(oldcxt);
		CurrentResourceOwner = oldowner;
	}
	PG_END_TRY();

	if (edata == NULL)
		return;
	if (!error_is_about_rows(edata->sqlerrcode))
		ReThrowError(edata);

	if (count == 1)
	{
		ctx->refused_row[ctx->nrefused] = first;
		ctx->refused_error[ctx->nrefused] = pstrdup(edata->message ? edata->message
													: "unknown error");
		ctx->nrefused++;
	}
	else
	{
		int			half = count / 2;

		if (first == 0 && count == ctx->batch->nrows)
			ereport(DEBUG1,
					(errmsg_internal("asset_stream: batch of %d reads for stream %u failed (%s); writing it in parts",
									 count, ctx->relid, edata->message)));
		write_rows(ctx, first, half);
		write_rows(ctx, first + half, count - half);
	}
	FreeErrorData(edata);
}

/* ---------------------------------------------------------------------
 * Rejected reads
 * ---------------------------------------------------------------------
 */

static void
append_double(StringInfo buf, double d)
{
	char		s[DOUBLE_SHORTEST_DECIMAL_LEN];

	if (isnan(d) || isinf(d))
	{
		double_to_shortest_decimal_buf(d, s);
		escape_json(buf, s);
	}
	else
	{
		double_to_shortest_decimal_buf(d, s);
		appendStringInfoString(buf, s);
	}
}

/* A read as JSON text, for the payload of a refused row. */
static char *
row_to_json_text(const IngestRow *row)
{
	StringInfoData buf;
	char		tbuf[MAXDATELEN + 1];

	initStringInfo(&buf);
	appendStringInfoString(&buf, "{\"asset_id\": ");
	if (row->asset_id)
		escape_json(&buf, row->asset_id);
	else
		appendStringInfoString(&buf, "null");
	appendStringInfoString(&buf, ", \"event_time\": ");
	escape_json(&buf, JsonEncodeDateTime(tbuf, TimestampTzGetDatum(row->event_time),
										 TIMESTAMPTZOID, NULL));
	if (row->source_id)
	{
		appendStringInfoString(&buf, ", \"source_id\": ");
		escape_json(&buf, row->source_id);
	}
	if (row->has_position)
	{
		appendStringInfoString(&buf, ", \"lon\": ");
		append_double(&buf, row->lon);
		appendStringInfoString(&buf, ", \"lat\": ");
		append_double(&buf, row->lat);
	}
	if (row->has_rssi)
	{
		char		s[FLOAT_SHORTEST_DECIMAL_LEN];

		appendStringInfoString(&buf, ", \"rssi\": ");
		float_to_shortest_decimal_buf(row->rssi, s);
		if (isnan(row->rssi) || isinf(row->rssi))
			escape_json(&buf, s);
		else
			appendStringInfoString(&buf, s);
	}
	if (row->attrs)
	{
		appendStringInfoString(&buf, ", \"attrs\": ");
		(void) JsonbToCString(&buf, &row->attrs->root, VARSIZE(row->attrs));
	}
	appendStringInfoChar(&buf, '}');
	return buf.data;
}

/*
 * Insert the batch's rejects and the refused rows into
 * asset_stream.rejected, as the owner of that table.
 */
static void
insert_rejected(WriterCtx *ctx)
{
	IngestBatch *batch = ctx->batch;
	int			n = batch->nrejects + ctx->nrefused;
	Datum	   *payloads = palloc(sizeof(Datum) * n);
	bool	   *payload_nulls = palloc(sizeof(bool) * n);
	Datum	   *errors = palloc(sizeof(Datum) * n);
	int			dims[1] = {n};
	int			lbs[1] = {1};
	Oid			types[4] = {TEXTOID, TIMESTAMPTZOID, TEXTARRAYOID, TEXTARRAYOID};
	Datum		args[4];
	Oid			owner;
	int			i,
				k = 0;

	for (i = 0; i < batch->nrejects; i++, k++)
	{
		payload_nulls[k] = batch->rejects[i].payload == NULL;
		payloads[k] = payload_nulls[k] ? (Datum) 0
			: CStringGetTextDatum(batch->rejects[i].payload);
		errors[k] = CStringGetTextDatum(batch->rejects[i].error ? batch->rejects[i].error
										: "unknown error");
	}
	for (i = 0; i < ctx->nrefused; i++, k++)
	{
		payload_nulls[k] = false;
		payloads[k] = CStringGetTextDatum(row_to_json_text(&batch->rows[ctx->refused_row[i]]));
		errors[k] = CStringGetTextDatum(ctx->refused_error[i]);
	}

	args[0] = CStringGetTextDatum(ctx->source_name);
	args[1] = TimestampTzGetDatum(ctx->now);
	args[2] = PointerGetDatum(construct_md_array(payloads, payload_nulls, 1, dims, lbs,
												 TEXTOID, -1, false, TYPALIGN_INT));
	args[3] = PointerGetDatum(construct_md_array(errors, NULL, 1, dims, lbs,
												 TEXTOID, -1, false, TYPALIGN_INT));

	owner = rel_owner(get_relname_relid("rejected", get_namespace_oid("asset_stream", false)));
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	spi_exec_as(owner,
				"INSERT INTO asset_stream.rejected (source, received_at, payload, error)"
				" SELECT $1, $2, u.p, u.e FROM ROWS FROM (pg_catalog.unnest($3), pg_catalog.unnest($4)) AS u(p, e)",
				4, types, args, NULL, SPI_OK_INSERT);
	SPI_finish();
}
