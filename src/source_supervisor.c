/*-------------------------------------------------------------------------
 *
 * source_supervisor.c
 *	  Keeps one background worker running per enabled ingest source of a
 *	  database.  Runs inside that database's maintenance worker: at every
 *	  wake-up it reads asset_stream._sources and compares it with the
 *	  source slots in shared memory, then starts the workers that are
 *	  missing (after their backoff, when they failed) and sends SIGTERM to
 *	  those whose source was dropped or disabled.
 *
 * add_source(), drop_source() and enable_source() call _wake_sources(),
 * which sets the maintenance worker's latch when their transaction commits,
 * and every source worker has the maintenance worker as bgw_notify_pid, so
 * the supervisor also runs when one of them stops.  That is what makes a
 * change take effect within a second.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <signal.h>

#include "access/xact.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"

#include "source.h"

/* A registered worker that has not claimed its slot after this is retried. */
#define SOURCE_START_TIMEOUT_MS	10000

typedef struct WantedSource
{
	int32		id;
	bool		enabled;
	char	   *name;
} WantedSource;

static int	read_wanted_sources(WantedSource **out);
static bool start_source_worker(Oid dboid, WantedSource *src);

PG_FUNCTION_INFO_V1(as_wake_sources);

/*
 * _wake_sources(): ask this database's maintenance worker to look at the
 * sources again when the current transaction commits.
 */
Datum
as_wake_sources(PG_FUNCTION_ARGS)
{
	as_wake_db_worker_at_commit();
	PG_RETURN_VOID();
}

/*
 * Bring the source workers of a database in line with _sources.  Errors
 * (the table missing during an extension upgrade, say) are reported and
 * the supervisor tries again at the next wake-up.
 */
void
as_supervise_sources(Oid dboid)
{
	MemoryContext cxt = AllocSetContextCreate(CurrentMemoryContext,
											  "asset_stream supervisor",
											  ALLOCSET_SMALL_SIZES);
	MemoryContext old = MemoryContextSwitchTo(cxt);
	WantedSource *wanted = NULL;
	int			nwanted;
	pid_t	   *to_stop = palloc(sizeof(pid_t) * AS_MAX_SOURCES);
	int			nstop = 0;
	WantedSource **to_start = palloc(sizeof(WantedSource *) * AS_MAX_SOURCES);
	int			nstart = 0;
	TimestampTz now;
	int			i,
				j;

	nwanted = read_wanted_sources(&wanted);
	MemoryContextSwitchTo(cxt);	/* the transaction left us elsewhere */
	if (nwanted < 0)
		goto done;

	now = GetCurrentTimestamp();
	LWLockAcquire(as_shared->lock, LW_EXCLUSIVE);

	/* stop the workers of sources that are gone or disabled */
	for (i = 0; i < AS_MAX_SOURCES; i++)
	{
		AsSourceSlot *s = as_source_slot_at(i);
		WantedSource *w = NULL;

		if (s->dboid != dboid)
			continue;
		for (j = 0; j < nwanted; j++)
			if (wanted[j].id == s->source_id)
				w = &wanted[j];
		if (w != NULL && w->enabled)
			continue;
		if (s->pid != 0)
			to_stop[nstop++] = s->pid;
		else if (w == NULL)
			memset(s, 0, sizeof(AsSourceSlot));		/* forget a dropped source */
		else
			s->state = SRC_STOPPED;
	}

	/* start the workers that are missing */
	for (j = 0; j < nwanted; j++)
	{
		AsSourceSlot *s;

		if (!wanted[j].enabled)
			continue;
		s = as_source_lookup(dboid, wanted[j].id, true);
		if (s == NULL)
		{
			ereport(WARNING,
					(errmsg("asset_stream source \"%s\" not started: more than %d sources",
							wanted[j].name, AS_MAX_SOURCES)));
			continue;
		}
		if (s->pid != 0)
			continue;
		if (s->state == SRC_STARTING &&
			!TimestampDifferenceExceeds(s->registered_at, now, SOURCE_START_TIMEOUT_MS))
			continue;
		if (s->restart_after > now)
			continue;
		s->state = SRC_STARTING;
		s->registered_at = now;
		to_start[nstart++] = &wanted[j];
	}
	LWLockRelease(as_shared->lock);

	for (i = 0; i < nstop; i++)
		kill(to_stop[i], SIGTERM);
	for (i = 0; i < nstart; i++)
		start_source_worker(dboid, to_start[i]);

done:
	MemoryContextSwitchTo(old);
	MemoryContextDelete(cxt);
}

/*
 * How long the maintenance worker may sleep before the supervisor has
 * something to do (a backoff ending, a start to check); -1: nothing.
 */
long
as_supervisor_next_wake_ms(Oid dboid)
{
	TimestampTz now = GetCurrentTimestamp();
	TimestampTz next = 0;
	int			i;

	LWLockAcquire(as_shared->lock, LW_SHARED);
	for (i = 0; i < AS_MAX_SOURCES; i++)
	{
		AsSourceSlot *s = as_source_slot_at(i);
		TimestampTz t;

		if (s->dboid != dboid || s->pid != 0)
			continue;
		if (s->state == SRC_STARTING)
			t = TimestampTzPlusMilliseconds(s->registered_at, SOURCE_START_TIMEOUT_MS);
		else if (s->state == SRC_FAILED)
			t = s->restart_after;
		else
			continue;
		if (next == 0 || t < next)
			next = t;
	}
	LWLockRelease(as_shared->lock);

	if (next == 0)
		return -1;
	return Max(TimestampDifferenceMilliseconds(now, next), 10);
}

/*
 * Read (id, enabled, name) of every source, in its own transaction.
 * Returns -1 after reporting an error.
 */
static int
read_wanted_sources(WantedSource **out)
{
	MemoryContext cxt = CurrentMemoryContext;
	volatile int n = -1;

	SetCurrentStatementStartTimestamp();
	StartTransactionCommand();
	PushActiveSnapshot(GetTransactionSnapshot());
	PG_TRY();
	{
		uint64		i;

		SPI_connect();
		if (SPI_execute("SELECT id, enabled, name FROM asset_stream._sources ORDER BY id",
						true, 0) != SPI_OK_SELECT)
			elog(ERROR, "could not read asset_stream._sources");
		*out = MemoryContextAlloc(cxt, sizeof(WantedSource) * (SPI_processed + 1));
		for (i = 0; i < SPI_processed; i++)
		{
			HeapTuple	tup = SPI_tuptable->vals[i];
			TupleDesc	desc = SPI_tuptable->tupdesc;
			bool		isnull;
			char	   *name = SPI_getvalue(tup, desc, 3);

			(*out)[i].id = DatumGetInt32(SPI_getbinval(tup, desc, 1, &isnull));
			(*out)[i].enabled = DatumGetBool(SPI_getbinval(tup, desc, 2, &isnull));
			(*out)[i].name = MemoryContextStrdup(cxt, name ? name : "");
		}
		n = (int) Min(SPI_processed, (uint64) AS_MAX_SOURCES * 4);
		SPI_finish();
		PopActiveSnapshot();
		CommitTransactionCommand();
	}
	PG_CATCH();
	{
		HOLD_INTERRUPTS();
		MemoryContextSwitchTo(cxt);
		EmitErrorReport();
		FlushErrorState();
		AbortCurrentTransaction();
		RESUME_INTERRUPTS();
		n = -1;
	}
	PG_END_TRY();
	pgstat_report_activity(STATE_IDLE, NULL);
	return n;
}

/*
 * Register the dynamic background worker of one source.  Its main
 * argument is the source id; bgw_extra carries the database OID.
 */
static bool
start_source_worker(Oid dboid, WantedSource *src)
{
	BackgroundWorker worker;
	BackgroundWorkerHandle *handle;

	memset(&worker, 0, sizeof(worker));
	worker.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
	worker.bgw_start_time = BgWorkerStart_RecoveryFinished;
	worker.bgw_restart_time = BGW_NEVER_RESTART;
	snprintf(worker.bgw_library_name, BGW_MAXLEN, AS_LIBRARY_NAME);
	snprintf(worker.bgw_function_name, BGW_MAXLEN, "asset_stream_source_main");
	snprintf(worker.bgw_name, BGW_MAXLEN, "asset_stream source %s", src->name);
	snprintf(worker.bgw_type, BGW_MAXLEN, "asset_stream source");
	worker.bgw_main_arg = Int32GetDatum(src->id);
	memcpy(worker.bgw_extra, &dboid, sizeof(Oid));
	worker.bgw_notify_pid = MyProcPid;

	if (RegisterDynamicBackgroundWorker(&worker, &handle))
		return true;

	LWLockAcquire(as_shared->lock, LW_EXCLUSIVE);
	{
		AsSourceSlot *s = as_source_lookup(dboid, src->id, false);

		if (s != NULL)
		{
			s->state = SRC_FAILED;
			s->restart_after = TimestampTzPlusMilliseconds(GetCurrentTimestamp(), 5000);
			strlcpy(s->last_error,
					"no free background worker slot: raise max_worker_processes",
					AS_ERROR_LEN);
			s->last_error_at = GetCurrentTimestamp();
		}
	}
	LWLockRelease(as_shared->lock);
	ereport(WARNING,
			(errmsg("could not start the worker of asset_stream source \"%s\"", src->name),
			 errhint("Raise max_worker_processes.")));
	return false;
}
