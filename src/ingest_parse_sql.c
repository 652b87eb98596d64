/*-------------------------------------------------------------------------
 *
 * ingest_parse_sql.c
 *	  asset_stream.parse_payload(): parse a payload with a source's options
 *	  and show the reads and rejects it would give, without a source or a
 *	  stream.  For trying options before add_source(), and for tests.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

#include "ingest.h"

#define PP_COLS 9

PG_FUNCTION_INFO_V1(as_parse_payload);

/*
 * parse_payload(payload text, options jsonb, content_type text,
 *				 topic_source_id text)
 * RETURNS TABLE (asset_id, event_time, source_id, lon, lat, rssi, attrs,
 *				  error, rejected_payload)
 *
 * One row per read (error NULL), then one per reject (only error and
 * rejected_payload set).  NULL options mean every default; a NULL payload
 * gives no rows.
 */
Datum
as_parse_payload(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	IngestFormat fmt;
	IngestPayloadKind kind;
	IngestBatch *batch;
	text	   *payload;
	char	   *content_type = NULL;
	char	   *topic_source_id = NULL;
	Datum		values[PP_COLS];
	bool		nulls[PP_COLS];
	int			i;

	InitMaterializedSRF(fcinfo, 0);
	ingest_format_parse_options(&fmt, PG_ARGISNULL(1) ? NULL : PG_GETARG_JSONB_P(1));
	if (PG_ARGISNULL(0))
		return (Datum) 0;
	payload = PG_GETARG_TEXT_PP(0);
	if (!PG_ARGISNULL(2))
		content_type = text_to_cstring(PG_GETARG_TEXT_PP(2));
	if (!PG_ARGISNULL(3))
		topic_source_id = text_to_cstring(PG_GETARG_TEXT_PP(3));

	kind = ingest_kind_for_content_type(&fmt, content_type);
	batch = ingest_batch_create(CurrentMemoryContext);
	ingest_parse_payload(batch, &fmt, kind, VARDATA_ANY(payload),
						 VARSIZE_ANY_EXHDR(payload), topic_source_id);

	for (i = 0; i < batch->nrows; i++)
	{
		IngestRow  *row = &batch->rows[i];

		memset(nulls, 0, sizeof(nulls));
		values[0] = CStringGetTextDatum(row->asset_id);
		values[1] = TimestampTzGetDatum(row->event_time);
		if (row->source_id)
			values[2] = CStringGetTextDatum(row->source_id);
		else
			nulls[2] = true;
		values[3] = Float8GetDatum(row->lon);
		values[4] = Float8GetDatum(row->lat);
		nulls[3] = nulls[4] = !row->has_position;
		values[5] = Float4GetDatum(row->rssi);
		nulls[5] = !row->has_rssi;
		if (row->attrs)
			values[6] = JsonbPGetDatum(row->attrs);
		else
			nulls[6] = true;
		nulls[7] = nulls[8] = true;
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	for (i = 0; i < batch->nrejects; i++)
	{
		IngestReject *rej = &batch->rejects[i];

		memset(nulls, true, sizeof(nulls));
		values[7] = CStringGetTextDatum(rej->error);
		nulls[7] = false;
		if (rej->payload)
		{
			values[8] = CStringGetTextDatum(rej->payload);
			nulls[8] = false;
		}
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}

	MemoryContextDelete(batch->cxt);
	pfree(batch);
	return (Datum) 0;
}
