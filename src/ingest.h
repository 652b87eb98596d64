/*-------------------------------------------------------------------------
 *
 * ingest.h
 *	  The ingest core shared by every source kind: payload formats (JSON,
 *	  NDJSON, CSV) parsed into a batch of reads, and the writer that puts a
 *	  batch into a stream's partitions in one transaction.
 *
 * Parsing never raises an error for bad input: a payload or row that
 * cannot become a read is appended to the batch's rejects, with the reason,
 * and ends in asset_stream.rejected when the batch is written.  Errors are
 * raised only for bad options (when a source is added) and for running out
 * of memory.
 *
 *-------------------------------------------------------------------------
 */
#ifndef AS_INGEST_H
#define AS_INGEST_H

#include "postgres.h"

#include "datatype/timestamp.h"
#include "utils/jsonb.h"

/* How event times are written in the payload. */
typedef enum IngestTimeFormat
{
	ITF_AUTO,					/* ISO 8601 text, or a number: seconds, or
								 * milliseconds when > 1e11 */
	ITF_ISO,
	ITF_EPOCH_S,
	ITF_EPOCH_MS
} IngestTimeFormat;

/* Payload framing. */
typedef enum IngestPayloadKind
{
	IPK_JSON,					/* one object, or an array of objects */
	IPK_NDJSON,					/* one object per line */
	IPK_CSV						/* one row per line, columns as declared */
} IngestPayloadKind;

/* The canonical fields a payload can fill (stream columns). */
typedef enum IngestField
{
	IF_ASSET_ID,
	IF_EVENT_TIME,
	IF_SOURCE_ID,
	IF_LON,
	IF_LAT,
	IF_POSITION,				/* GeoJSON Point object, or [lon, lat] */
	IF_RSSI,
	IF_ATTRS,					/* a JSON object merged into attrs */
	IF_NFIELDS
} IngestField;

/*
 * A source's format options, parsed once from its options jsonb.
 *
 * field_names[f] is the JSON key (or CSV column name) that fills canonical
 * field f; the defaults are the canonical names ("asset_id", "event_time",
 * "source_id", "lon", "lat", "position", "rssi", "attrs").  JSON keys that
 * map to no field go into attrs.  For CSV, csv_columns lists the columns in
 * order; a column named like no field goes into attrs (as a string), and
 * an empty name skips the column.
 */
typedef struct IngestFormat
{
	IngestPayloadKind default_kind; /* "format": json | ndjson | csv */
	char	   *field_names[IF_NFIELDS];
	IngestTimeFormat time_format;	/* "time_format" */
	int			ncsv;			/* "csv_columns" */
	char	  **csv_columns;
	bool		csv_header;		/* "csv_header": skip the first line */
	int			max_payload;	/* "max_payload" bytes, default 1 MB */
} IngestFormat;

/* One parsed read (all pointers palloc'd in the batch's context). */
typedef struct IngestRow
{
	char	   *asset_id;
	TimestampTz event_time;
	char	   *source_id;		/* NULL: none */
	bool		has_position;
	double		lon;
	double		lat;
	bool		has_rssi;
	float4		rssi;
	Jsonb	   *attrs;			/* NULL: none */
} IngestRow;

/* One payload or row that could not become a read. */
typedef struct IngestReject
{
	char	   *payload;		/* the offending text (truncated to 8 kB) */
	char	   *error;
} IngestReject;

/*
 * A batch being filled: rows and rejects, in the batch's own memory
 * context, which ingest_batch_reset() empties.
 */
typedef struct IngestBatch
{
	MemoryContext cxt;
	IngestRow  *rows;
	int			nrows;
	int			maxrows;
	IngestReject *rejects;
	int			nrejects;
	int			maxrejects;
	int64		bytes;			/* payload bytes added */
	TimestampTz max_event_time; /* DT_NOBEGIN while empty */
} IngestBatch;

/* ingest_options.c */
extern const char *const ingest_field_canon[IF_NFIELDS];
extern void ingest_format_parse_options(IngestFormat *fmt, Jsonb *options);
extern IngestPayloadKind ingest_kind_for_content_type(const IngestFormat *fmt,
													  const char *content_type);
extern const char *ingest_read_problem(const char *asset_id, size_t len,
									   TimestampTz event_time, TimestampTz now);

/* ingest_time.c */
extern bool ingest_parse_iso_time(const char *s, TimestampTz *out);

/* ingest_format.c */
extern void ingest_parse_payload(IngestBatch *batch, const IngestFormat *fmt,
								 IngestPayloadKind kind,
								 const char *data, size_t len,
								 const char *topic_source_id);

/* ingest_batch.c */
extern IngestBatch *ingest_batch_create(MemoryContext parent);
extern void ingest_batch_reset(IngestBatch *batch);
extern IngestRow *ingest_batch_add_row(IngestBatch *batch);
extern void ingest_batch_add_reject(IngestBatch *batch, const char *payload,
									size_t len, const char *error);

/* ingest_writer.c */
typedef struct IngestWriteResult
{
	int64		rows_written;
	int64		rows_rejected;	/* rejects, plus rows the insert refused */
} IngestWriteResult;

extern void ingest_write_batch(Oid stream_relid, const char *source_name,
							   IngestBatch *batch, IngestWriteResult *result);

#endif							/* AS_INGEST_H */
