/*-------------------------------------------------------------------------
 *
 * source.h
 *	  Ingest sources: their shared-memory slots (state and live counters
 *	  shown by the asset_stream.sources view), the per-database supervisor
 *	  that starts and stops one background worker per enabled source, and
 *	  the context a source worker's kind-specific loop (MQTT, HTTP) uses to
 *	  batch and write what it receives.
 *
 *-------------------------------------------------------------------------
 */
#ifndef AS_SOURCE_H
#define AS_SOURCE_H

#include "postgres.h"

#include <signal.h>

#include "datatype/timestamp.h"
#include "utils/jsonb.h"

#include "asset_stream.h"
#include "ingest.h"

#define AS_MAX_SOURCES		128

typedef enum AsSourceState
{
	SRC_STOPPED = 0,			/* disabled, or no worker yet */
	SRC_STARTING,				/* worker registered, not yet running */
	SRC_CONNECTING,				/* connecting to the broker / binding port */
	SRC_RUNNING,				/* receiving */
	SRC_RETRYING,				/* lost the broker or port; retrying */
	SRC_FAILED					/* worker exited with an error; restart after
								 * backoff */
} AsSourceState;

/*
 * One source's slot.  Owned by (dboid, source_id) for the life of the
 * postmaster; counters survive worker restarts (not server restarts).
 * Protected by as_shared->lock.
 */
typedef struct AsSourceSlot
{
	Oid			dboid;			/* InvalidOid: slot unused */
	int32		source_id;		/* asset_stream._sources.id */
	pid_t		pid;			/* running worker, or 0 */
	AsSourceState state;
	TimestampTz registered_at;	/* supervisor registered a worker then */
	TimestampTz started_at;		/* worker started */
	TimestampTz restart_after;	/* supervisor waits until then (backoff) */
	int			failures_in_row; /* consecutive worker failures */
	int64		rows_accepted;
	int64		rows_rejected;
	int64		batches;
	int64		bytes;
	TimestampTz last_event_time;	/* largest event_time committed */
	TimestampTz last_commit_at; /* commit time of the last batch */
	int64		last_lag_us;	/* last commit minus that batch's newest
								 * event_time */
	char		last_error[AS_ERROR_LEN];
	TimestampTz last_error_at;
} AsSourceSlot;

/* source_slots.c: shared memory of the sources */
extern Size as_source_shmem_size(void);
extern void as_source_shmem_startup(void);
extern AsSourceSlot *as_source_claim(Oid dboid, int32 source_id);
extern AsSourceSlot *as_source_lookup(Oid dboid, int32 source_id, bool create);
extern AsSourceSlot *as_source_slot_at(int i);
extern void as_source_set_state(AsSourceSlot *slot, AsSourceState state,
								const char *error);
extern void as_source_count_batch(AsSourceSlot *slot, int64 accepted,
								  int64 rejected, int64 bytes,
								  TimestampTz max_event_time);
extern void as_source_stop_database(Oid dboid);
extern const char *as_source_state_name(AsSourceState state);

/* source_supervisor.c: run from the maintenance worker of each database */
extern void as_supervise_sources(Oid dboid);
extern long as_supervisor_next_wake_ms(Oid dboid);

/*
 * What a source worker's loop works with.  Made by source_worker.c before
 * calling the kind's run function, which returns only on shutdown.
 */
typedef struct SourceContext
{
	int32		source_id;
	char	   *name;
	char	   *stream;			/* stream name as given to add_source */
	Oid			stream_relid;
	char	   *kind;			/* "mqtt" | "http" */
	Jsonb	   *options;
	IngestFormat format;
	int			batch_rows;		/* option "batch_rows", default 1000 */
	int			batch_ms;		/* option "batch_ms", default 20 */
	AsSourceSlot *slot;
	IngestBatch *batch;			/* the open batch */
	TimestampTz batch_opened_at;	/* first payload of the open batch, or 0 */
	int			batch_payloads; /* payloads in the open batch */
} SourceContext;

/* source_worker.c: the common part of every source worker */
extern volatile sig_atomic_t source_shutdown_requested;
extern PGDLLEXPORT void asset_stream_source_main(Datum main_arg);

/* Add one received payload to the open batch (parses it at once). */
extern void source_add_payload(SourceContext *ctx, IngestPayloadKind kind,
							   const char *data, size_t len,
							   const char *topic_source_id);
/* Add a reject that never reached the parser (oversize, bad framing). */
extern void source_add_reject(SourceContext *ctx, const char *payload,
							  size_t len, const char *error);
/* Is the open batch full, or older than batch_ms? */
extern bool source_batch_due(SourceContext *ctx);
/* Milliseconds until the open batch is due by age; -1 when it is empty. */
extern long source_batch_wait_ms(SourceContext *ctx);
/*
 * Write the open batch in one transaction and count it in the slot.
 * Returns true when it committed (also for an empty batch); false when the
 * transaction failed (the error is in the slot's last_error and the
 * server log, and the batch is kept for a retry by the caller or dropped
 * with source_drop_batch).
 */
extern bool source_flush(SourceContext *ctx);
extern void source_drop_batch(SourceContext *ctx);
/* Record a connection-level problem (shown in sources.last_error). */
extern void source_report_error(SourceContext *ctx, AsSourceState state,
								const char *fmt,...) pg_attribute_printf(3, 4);
extern void source_report_state(SourceContext *ctx, AsSourceState state);

/* Option helpers (raise 22023 for a wrongly typed option). */
extern char *source_opt_text(Jsonb *options, const char *key, const char *dflt);
extern int	source_opt_int(Jsonb *options, const char *key, int dflt, int min, int max);
extern bool source_opt_bool(Jsonb *options, const char *key, bool dflt);
/* A text array option (or a single string); returns the count. */
extern int	source_opt_text_array(Jsonb *options, const char *key, char ***out);
/* batch_rows, batch_ms and the format options, into ctx (raise 22023). */
extern void source_read_common_options(SourceContext *ctx);

/* source_mqtt.c and source_http.c: run until source_shutdown_requested */
extern void source_mqtt_run(SourceContext *ctx);
extern void source_http_run(SourceContext *ctx);
/* Check a kind's options when the source is added (raise 22023). */
extern void source_mqtt_check_options(Jsonb *options);
extern void source_http_check_options(Jsonb *options);

#endif							/* AS_SOURCE_H */
