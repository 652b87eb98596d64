/*-------------------------------------------------------------------------
 *
 * ingest_write_sql.c
 *	  SQL entry points of the ingest writer:
 *
 *	  asset_stream.ingest(stream, payload, options, content_type, source)
 *		parses a payload as a source would (JSON, NDJSON or CSV, with the
 *		source options) and writes it with ingest_write_batch(), in the
 *		caller's transaction.
 *
 *	  asset_stream._write_rows(stream, asset_ids, times, lons, lats, ...)
 *		internal, for tests and bench/ingest_writer: builds the reads from
 *		arrays (no parsing) and writes them with ingest_write_batch().
 *
 * Both bypass the checks of INSERT and COPY, so they check INSERT on the
 * stream for the current user themselves, and refuse streams with
 * row-level security enabled (as COPY FROM does).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rls.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"

#include "ingest.h"

PG_FUNCTION_INFO_V1(as_ingest);
PG_FUNCTION_INFO_V1(as_write_rows);

/* The current user may write into this stream through the writer. */
static void
check_stream_writable(Oid relid)
{
	AclResult	aclresult;

	if (!SearchSysCacheExists1(RELOID, ObjectIdGetDatum(relid)))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation with OID %u does not exist", relid)));
	aclresult = pg_class_aclcheck(relid, GetUserId(), ACL_INSERT);
	if (aclresult != ACLCHECK_OK)
		aclcheck_error(aclresult, get_relkind_objtype(get_rel_relkind(relid)),
					   get_rel_name(relid));
	if (check_enable_rls(relid, InvalidOid, false) == RLS_ENABLED)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("cannot ingest into \"%s\": it has row-level security enabled",
						get_rel_name(relid))));
}

/* Return (rows_written, rows_rejected) as the one row of a set. */
static Datum
return_result(FunctionCallInfo fcinfo, const IngestWriteResult *res)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Datum		values[2];
	bool		nulls[2] = {false, false};

	InitMaterializedSRF(fcinfo, 0);
	values[0] = Int64GetDatum(res->rows_written);
	values[1] = Int64GetDatum(res->rows_rejected);
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	return (Datum) 0;
}

/*
 * asset_stream.ingest(stream regclass, payload text, options jsonb DEFAULT '{}',
 *					   content_type text DEFAULT NULL, source text DEFAULT 'sql')
 */
Datum
as_ingest(PG_FUNCTION_ARGS)
{
	Oid			relid;
	IngestFormat fmt;
	IngestPayloadKind kind;
	IngestBatch *batch;
	IngestWriteResult res = {0, 0};
	Jsonb	   *options;
	char	   *content_type;
	char	   *source;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("stream must not be NULL")));
	relid = PG_GETARG_OID(0);
	check_stream_writable(relid);

	if (PG_ARGISNULL(2))
		options = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum("{}")));
	else
		options = PG_GETARG_JSONB_P(2);
	content_type = PG_ARGISNULL(3) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(3));
	source = PG_ARGISNULL(4) ? pstrdup("sql") : text_to_cstring(PG_GETARG_TEXT_PP(4));

	ingest_format_parse_options(&fmt, options);
	kind = ingest_kind_for_content_type(&fmt, content_type);

	if (!PG_ARGISNULL(1))
	{
		text	   *payload = PG_GETARG_TEXT_PP(1);

		batch = ingest_batch_create(CurrentMemoryContext);
		ingest_parse_payload(batch, &fmt, kind, VARDATA_ANY(payload),
							 VARSIZE_ANY_EXHDR(payload), NULL);
		ingest_write_batch(relid, source, batch, &res);
		MemoryContextDelete(batch->cxt);
	}
	return return_result(fcinfo, &res);
}

/* Deconstruct an optional array argument; its length must be n (or -1: any). */
static int
get_array(FunctionCallInfo fcinfo, int argno, Oid elemtype, const char *name,
		  int n, Datum **elems, bool **nulls)
{
	ArrayType  *arr;
	int16		typlen;
	bool		typbyval;
	char		typalign;
	int			count;

	*elems = NULL;
	*nulls = NULL;
	if (PG_NARGS() <= argno || PG_ARGISNULL(argno))
		return 0;
	arr = PG_GETARG_ARRAYTYPE_P(argno);
	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("%s must be a one-dimensional array", name)));
	get_typlenbyvalalign(elemtype, &typlen, &typbyval, &typalign);
	deconstruct_array(arr, elemtype, typlen, typbyval, typalign, elems, nulls, &count);
	if (n >= 0 && count != n)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("%s has %d elements, asset_ids has %d", name, count, n)));
	return count;
}

/*
 * asset_stream._write_rows(stream regclass, asset_ids text[], times timestamptz[],
 *		lons float8[], lats float8[], source_ids text[] DEFAULT NULL,
 *		rssis real[] DEFAULT NULL, attrs jsonb[] DEFAULT NULL,
 *		rejects text[] DEFAULT NULL, source text DEFAULT 'test')
 *
 * Internal (tests, benchmark).  A read has a position when both its lon and
 * lat are not NULL.  Each element of rejects becomes a reject of the batch
 * (payload = the element, error = 'rejected by the caller').
 */
Datum
as_write_rows(PG_FUNCTION_ARGS)
{
	Oid			relid;
	Datum	   *ids,
			   *times,
			   *lons,
			   *lats,
			   *srcs,
			   *rssis,
			   *attrs,
			   *rejects;
	bool	   *ids_n,
			   *times_n,
			   *lons_n,
			   *lats_n,
			   *srcs_n,
			   *rssis_n,
			   *attrs_n,
			   *rejects_n;
	int			n,
				nlons,
				nlats,
				nsrcs,
				nrssis,
				nattrs,
				nrejects,
				i;
	IngestBatch *batch;
	MemoryContext old;
	IngestWriteResult res = {0, 0};
	char	   *source;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("stream must not be NULL")));
	relid = PG_GETARG_OID(0);
	check_stream_writable(relid);

	n = get_array(fcinfo, 1, TEXTOID, "asset_ids", -1, &ids, &ids_n);
	(void) get_array(fcinfo, 2, TIMESTAMPTZOID, "times", n, &times, &times_n);
	if (n > 0 && times == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("times must not be NULL")));
	nlons = get_array(fcinfo, 3, FLOAT8OID, "lons", n, &lons, &lons_n);
	nlats = get_array(fcinfo, 4, FLOAT8OID, "lats", n, &lats, &lats_n);
	nsrcs = get_array(fcinfo, 5, TEXTOID, "source_ids", n, &srcs, &srcs_n);
	nrssis = get_array(fcinfo, 6, FLOAT4OID, "rssis", n, &rssis, &rssis_n);
	nattrs = get_array(fcinfo, 7, JSONBOID, "attrs", n, &attrs, &attrs_n);
	nrejects = get_array(fcinfo, 8, TEXTOID, "rejects", -1, &rejects, &rejects_n);
	source = (PG_NARGS() <= 9 || PG_ARGISNULL(9)) ? pstrdup("test")
		: text_to_cstring(PG_GETARG_TEXT_PP(9));

	batch = ingest_batch_create(CurrentMemoryContext);
	old = MemoryContextSwitchTo(batch->cxt);
	for (i = 0; i < n; i++)
	{
		IngestRow  *row;

		if (times_n[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("times must not contain NULL")));
		row = ingest_batch_add_row(batch);
		row->asset_id = ids_n[i] ? NULL : TextDatumGetCString(ids[i]);
		row->event_time = DatumGetTimestampTz(times[i]);
		if (nsrcs > 0 && !srcs_n[i])
			row->source_id = TextDatumGetCString(srcs[i]);
		if (nlons > 0 && nlats > 0 && !lons_n[i] && !lats_n[i])
		{
			row->has_position = true;
			row->lon = DatumGetFloat8(lons[i]);
			row->lat = DatumGetFloat8(lats[i]);
		}
		if (nrssis > 0 && !rssis_n[i])
		{
			row->has_rssi = true;
			row->rssi = DatumGetFloat4(rssis[i]);
		}
		if (nattrs > 0 && !attrs_n[i])
			row->attrs = DatumGetJsonbPCopy(attrs[i]);
		if (batch->max_event_time < row->event_time)
			batch->max_event_time = row->event_time;
	}
	MemoryContextSwitchTo(old);
	for (i = 0; i < nrejects; i++)
	{
		char	   *p = rejects_n[i] ? NULL : TextDatumGetCString(rejects[i]);

		ingest_batch_add_reject(batch, p, p ? strlen(p) : 0, "rejected by the caller");
	}

	ingest_write_batch(relid, source, batch, &res);
	MemoryContextDelete(batch->cxt);
	return return_result(fcinfo, &res);
}
