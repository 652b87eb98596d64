/*-------------------------------------------------------------------------
 *
 * source_worker.c
 *	  The common part of every ingest source worker: start-up (connect to
 *	  the database, claim the source's slot, load its row), the open batch
 *	  (add payloads, decide when it is due, write it in one transaction and
 *	  count it), error and state reporting, and a clean exit on SIGTERM.
 *	  The kind's loop (source_mqtt.c, source_http.c) runs in between.
 *
 * Exit codes: 0 after SIGTERM or when the source is gone or disabled (the
 * supervisor restarts it only if it is still enabled); an ERROR that
 * escapes the kind's loop ends the process with code 1, the slot records
 * the error, and the supervisor restarts the worker after a backoff that
 * doubles from 1 s to 60 s.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <signal.h>

#include "access/xact.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "postmaster/interrupt.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "tcop/tcopprot.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"

#include "source.h"

volatile sig_atomic_t source_shutdown_requested = false;

static void source_sigterm(SIGNAL_ARGS);
static SourceContext *source_load(Oid dboid, int32 source_id, AsSourceSlot *slot);

static void
source_sigterm(SIGNAL_ARGS)
{
	int			save_errno = errno;

	source_shutdown_requested = true;
	SetLatch(MyLatch);
	errno = save_errno;
}

/*
 * Entry point; main_arg is the source id, bgw_extra the database OID.
 */
void
asset_stream_source_main(Datum main_arg)
{
	int32		source_id = DatumGetInt32(main_arg);
	Oid			dboid;
	AsSourceSlot *slot;
	SourceContext *volatile ctx = NULL;

	memcpy(&dboid, MyBgworkerEntry->bgw_extra, sizeof(Oid));
	pqsignal(SIGHUP, SignalHandlerForConfigReload);
	pqsignal(SIGTERM, source_sigterm);
	BackgroundWorkerUnblockSignals();
	BackgroundWorkerInitializeConnectionByOid(dboid, InvalidOid, 0);

	slot = as_source_claim(dboid, source_id);
	if (slot == NULL)
	{
		ereport(LOG,
				(errmsg("asset_stream source %d: another worker runs it", source_id)));
		proc_exit(0);
	}

	PG_TRY();
	{
		ctx = source_load(dboid, source_id, slot);
		if (ctx == NULL)
			proc_exit(0);		/* dropped or disabled meanwhile */
		pgstat_report_appname(psprintf("asset_stream source %s", ctx->name));
		ereport(LOG,
				(errmsg("asset_stream %s source \"%s\" started, writing into %s",
						ctx->kind, ctx->name, ctx->stream)));

		if (strcmp(ctx->kind, "mqtt") == 0)
			source_mqtt_run(ctx);
		else if (strcmp(ctx->kind, "http") == 0)
			source_http_run(ctx);
		else
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown source kind \"%s\"", ctx->kind)));

		/* the kind's loop returns on SIGTERM, having flushed; be sure */
		(void) source_flush(ctx);
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		HOLD_INTERRUPTS();
		MemoryContextSwitchTo(TopMemoryContext);
		edata = CopyErrorData();
		EmitErrorReport();
		FlushErrorState();
		as_source_set_state(slot, SRC_FAILED,
							edata->message ? edata->message : "unknown error");
		proc_exit(1);
	}
	PG_END_TRY();

	ereport(LOG, (errmsg("asset_stream source \"%s\" stopped", ctx->name)));
	proc_exit(0);
}

/*
 * Read the source's row and make its context.  NULL when the source no
 * longer exists or is disabled.
 */
static SourceContext *
source_load(Oid dboid, int32 source_id, AsSourceSlot *slot)
{
	SourceContext *ctx = NULL;
	Datum		arg = Int32GetDatum(source_id);
	Oid			argtype = INT4OID;

	SetCurrentStatementStartTimestamp();
	StartTransactionCommand();
	PushActiveSnapshot(GetTransactionSnapshot());
	SPI_connect();
	if (SPI_execute_with_args("SELECT name, stream::oid, stream::text, kind, options, enabled "
							  "FROM asset_stream._sources WHERE id = $1",
							  1, &argtype, &arg, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read asset_stream._sources");
	if (SPI_processed == 1)
	{
		HeapTuple	tup = SPI_tuptable->vals[0];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull;
		MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);

		if (DatumGetBool(SPI_getbinval(tup, desc, 6, &isnull)))
		{
			ctx = palloc0(sizeof(SourceContext));
			ctx->source_id = source_id;
			ctx->slot = slot;
			ctx->name = SPI_getvalue(tup, desc, 1);
			ctx->stream_relid = DatumGetObjectId(SPI_getbinval(tup, desc, 2, &isnull));
			ctx->stream = SPI_getvalue(tup, desc, 3);
			ctx->kind = SPI_getvalue(tup, desc, 4);
			ctx->options = DatumGetJsonbPCopy(SPI_getbinval(tup, desc, 5, &isnull));
			source_read_common_options(ctx);
			ctx->batch = ingest_batch_create(TopMemoryContext);
		}
		MemoryContextSwitchTo(old);
	}
	SPI_finish();
	PopActiveSnapshot();
	CommitTransactionCommand();
	pgstat_report_activity(STATE_IDLE, NULL);
	return ctx;
}

void
source_add_payload(SourceContext *ctx, IngestPayloadKind kind,
				   const char *data, size_t len, const char *topic_source_id)
{
	if (ctx->batch_opened_at == 0)
		ctx->batch_opened_at = GetCurrentTimestamp();
	ctx->batch_payloads++;
	ingest_parse_payload(ctx->batch, &ctx->format, kind, data, len, topic_source_id);
}

void
source_add_reject(SourceContext *ctx, const char *payload, size_t len,
				  const char *error)
{
	if (ctx->batch_opened_at == 0)
		ctx->batch_opened_at = GetCurrentTimestamp();
	ctx->batch_payloads++;
	ctx->batch->bytes += len;
	ingest_batch_add_reject(ctx->batch, payload, len, error);
}

/*
 * Is the open batch full, or older than batch_ms?  While payloads stream
 * in, the clock is read once per 16 payloads (reading it per message cost
 * 6% of a busy MQTT worker); when none arrived since the last call (a
 * wake-up after the wait timeout), it is always read.
 */
bool
source_batch_due(SourceContext *ctx)
{
	static int	payloads_at_last_call = 0;
	static int	payloads_at_last_check = 0;
	bool		arrived = ctx->batch_payloads != payloads_at_last_call;

	payloads_at_last_call = ctx->batch_payloads;
	if (ctx->batch_opened_at == 0)
		return false;
	if (ctx->batch->nrows + ctx->batch->nrejects >= ctx->batch_rows)
		return true;
	if (arrived && ctx->batch_payloads > payloads_at_last_check &&
		ctx->batch_payloads - payloads_at_last_check < 16)
		return false;
	payloads_at_last_check = ctx->batch_payloads;
	return TimestampDifferenceExceeds(ctx->batch_opened_at, GetCurrentTimestamp(),
									  ctx->batch_ms);
}

long
source_batch_wait_ms(SourceContext *ctx)
{
	TimestampTz due;
	TimestampTz now;

	if (ctx->batch_opened_at == 0)
		return -1;
	due = TimestampTzPlusMilliseconds(ctx->batch_opened_at, ctx->batch_ms);
	now = GetCurrentTimestamp();
	if (due <= now)
		return 0;
	return (long) ((due - now + 999) / 1000);
}

/*
 * Write the open batch in one transaction.  See source.h.
 */
bool
source_flush(SourceContext *ctx)
{
	IngestBatch *batch = ctx->batch;
	IngestWriteResult result;
	volatile bool ok = false;
	MemoryContext cxt = CurrentMemoryContext;

	if (batch->nrows == 0 && batch->nrejects == 0)
	{
		ctx->batch_opened_at = 0;
		ctx->batch_payloads = 0;
		return true;
	}

	memset(&result, 0, sizeof(result));
	SetCurrentStatementStartTimestamp();
	StartTransactionCommand();
	PushActiveSnapshot(GetTransactionSnapshot());
	pgstat_report_activity(STATE_RUNNING, "asset_stream source: writing a batch");
	PG_TRY();
	{
		ingest_write_batch(ctx->stream_relid, ctx->name, batch, &result);
		PopActiveSnapshot();
		CommitTransactionCommand();
		ok = true;
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		HOLD_INTERRUPTS();
		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		EmitErrorReport();
		FlushErrorState();
		AbortCurrentTransaction();
		RESUME_INTERRUPTS();
		as_source_set_state(ctx->slot, ctx->slot->state,
							psprintf("could not write a batch of %d rows: %s",
									 batch->nrows,
									 edata->message ? edata->message : "unknown error"));
		FreeErrorData(edata);
	}
	PG_END_TRY();
	MemoryContextSwitchTo(cxt);
	pgstat_report_stat(false);
	pgstat_report_activity(STATE_IDLE, NULL);

	if (ok)
	{
		as_source_count_batch(ctx->slot, result.rows_written, result.rows_rejected,
							  batch->bytes, batch->max_event_time);
		source_drop_batch(ctx);
	}
	return ok;
}

void
source_drop_batch(SourceContext *ctx)
{
	ingest_batch_reset(ctx->batch);
	ctx->batch_opened_at = 0;
	ctx->batch_payloads = 0;
}

void
source_report_error(SourceContext *ctx, AsSourceState state, const char *fmt,...)
{
	char		buf[AS_ERROR_LEN];
	va_list		ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	as_source_set_state(ctx->slot, state, buf);
	ereport(LOG, (errmsg("asset_stream source \"%s\": %s", ctx->name, buf)));
}

void
source_report_state(SourceContext *ctx, AsSourceState state)
{
	as_source_set_state(ctx->slot, state, NULL);
}
