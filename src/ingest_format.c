/*-------------------------------------------------------------------------
 *
 * ingest_format.c
 *	  Payload formats of the ingest sources (JSON, NDJSON, CSV).
 *	  STUB: being written on branch ingest-core.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "ingest.h"

void
ingest_format_parse_options(IngestFormat *fmt, Jsonb *options)
{
	memset(fmt, 0, sizeof(IngestFormat));
}

IngestPayloadKind
ingest_kind_for_content_type(const IngestFormat *fmt, const char *content_type)
{
	return fmt->default_kind;
}

void
ingest_parse_payload(IngestBatch *batch, const IngestFormat *fmt,
					 IngestPayloadKind kind, const char *data, size_t len,
					 const char *topic_source_id)
{
	ingest_batch_add_reject(batch, data, len, "not implemented");
}

const char *
ingest_read_problem(const char *asset_id, size_t len, TimestampTz event_time,
					TimestampTz now)
{
	return NULL;
}
