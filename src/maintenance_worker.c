/*-------------------------------------------------------------------------
 *
 * maintenance_worker.c
 *	  The per-database maintenance worker: every maintenance_interval it
 *	  runs asset_stream.run_maintenance(), which makes stream partitions
 *	  ahead of time, moves early arrivals out of the default partition and
 *	  drops partitions past retention.
 *
 * Between runs it also supervises the database's ingest sources
 * (source_supervisor.c).
 *
 * One worker per database, started by the launcher.  Each run is one
 * transaction (worker_spi's recipe); an error is reported, recorded in the
 * worker's shared slot and rolled back, and the worker tries again at the
 * next interval.  When the extension is not (or no longer) installed in its
 * database, the worker exits with code 0 and the launcher forgets it until
 * the next naptime or CREATE EXTENSION.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "commands/extension.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "postmaster/interrupt.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "tcop/tcopprot.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"

#include "asset_stream.h"
#include "source.h"

#define MW_SQL "SELECT count(*) FROM asset_stream.run_maintenance()"

static bool mw_extension_installed(void);
static bool mw_run_once(AsDbWorkerSlot *slot, MemoryContext errcxt);
static void mw_record(AsDbWorkerSlot *slot, const char *error);

/*
 * Entry point; main_arg is the database's OID.
 */
void
asset_stream_maintenance_main(Datum main_arg)
{
	Oid			dboid = DatumGetObjectId(main_arg);
	AsDbWorkerSlot *slot;
	MemoryContext loopcxt;

	pqsignal(SIGHUP, SignalHandlerForConfigReload);
	pqsignal(SIGTERM, die);
	BackgroundWorkerUnblockSignals();

	BackgroundWorkerInitializeConnectionByOid(dboid, InvalidOid, 0);
	pgstat_report_appname("asset_stream maintenance");

	/* a database without the extension gets no slot: just leave */
	if (!mw_extension_installed())
		proc_exit(0);

	slot = as_claim_db_slot(dboid);
	if (slot == NULL)
	{
		ereport(LOG,
				(errmsg("asset_stream maintenance worker for database %u not started: another one runs or no slot is free",
						dboid)));
		proc_exit(0);
	}

	loopcxt = AllocSetContextCreate(TopMemoryContext,
									"asset_stream maintenance loop",
									ALLOCSET_DEFAULT_SIZES);
	for (;;)
	{
		TimestampTz next_run;

		CHECK_FOR_INTERRUPTS();
		if (!mw_run_once(slot, loopcxt))
			proc_exit(0);		/* extension not installed here */
		MemoryContextReset(loopcxt);

		/*
		 * Until the interval has passed, serve the ingest sources: the
		 * latch is set when a source is added, dropped, enabled or disabled
		 * (at commit) and when a source worker stops.  It is also set by
		 * signals unrelated to us; the supervisor's check is cheap.
		 */
		next_run = TimestampTzPlusMilliseconds(GetCurrentTimestamp(),
											   as_maintenance_interval_s * 1000L);
		for (;;)
		{
			long		wait_ms;
			long		source_ms;

			CHECK_FOR_INTERRUPTS();
			if (ConfigReloadPending)
			{
				ConfigReloadPending = false;
				ProcessConfigFile(PGC_SIGHUP);
				next_run = Min(next_run,
							   TimestampTzPlusMilliseconds(GetCurrentTimestamp(),
														   as_maintenance_interval_s * 1000L));
			}
			as_supervise_sources(dboid);
			MemoryContextReset(loopcxt);

			wait_ms = TimestampDifferenceMilliseconds(GetCurrentTimestamp(), next_run);
			if (wait_ms <= 0)
				break;
			source_ms = as_supervisor_next_wake_ms(dboid);
			if (source_ms >= 0)
				wait_ms = Min(wait_ms, source_ms);
			(void) WaitLatch(MyLatch,
							 WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
							 wait_ms, PG_WAIT_EXTENSION);
			ResetLatch(MyLatch);
		}
	}
}

/*
 * Is asset_stream installed in this database?
 */
static bool
mw_extension_installed(void)
{
	bool		installed;

	StartTransactionCommand();
	installed = OidIsValid(get_extension_oid(AS_EXTENSION_NAME, true));
	CommitTransactionCommand();
	return installed;
}

/*
 * One maintenance run in its own transaction.  Returns false when the
 * extension is not installed in this database.
 */
static bool
mw_run_once(AsDbWorkerSlot *slot, MemoryContext errcxt)
{
	bool		installed;

	SetCurrentStatementStartTimestamp();
	StartTransactionCommand();
	PushActiveSnapshot(GetTransactionSnapshot());

	installed = OidIsValid(get_extension_oid(AS_EXTENSION_NAME, true));
	if (!installed)
	{
		PopActiveSnapshot();
		CommitTransactionCommand();
		return false;
	}

	pgstat_report_activity(STATE_RUNNING, MW_SQL);
	PG_TRY();
	{
		int			ret;

		SPI_connect();
		ret = SPI_execute("SET LOCAL lock_timeout = '10s'", false, 0);
		if (ret != SPI_OK_UTILITY)
			elog(ERROR, "could not set lock_timeout: %s", SPI_result_code_string(ret));
		ret = SPI_execute(MW_SQL, false, 0);
		if (ret != SPI_OK_SELECT)
			elog(ERROR, "asset_stream.run_maintenance() failed: %s", SPI_result_code_string(ret));
		SPI_finish();
		PopActiveSnapshot();
		CommitTransactionCommand();
		mw_record(slot, NULL);
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		HOLD_INTERRUPTS();
		MemoryContextSwitchTo(errcxt);
		edata = CopyErrorData();
		EmitErrorReport();
		FlushErrorState();
		AbortCurrentTransaction();
		RESUME_INTERRUPTS();
		mw_record(slot, edata->message ? edata->message : "unknown error");
	}
	PG_END_TRY();

	pgstat_report_stat(true);
	pgstat_report_activity(STATE_IDLE, NULL);
	return true;
}

/*
 * Record the outcome of a run in the worker's shared slot.
 */
static void
mw_record(AsDbWorkerSlot *slot, const char *error)
{
	LWLockAcquire(as_shared->lock, LW_EXCLUSIVE);
	slot->last_run_at = GetCurrentTimestamp();
	if (error == NULL)
		slot->runs++;
	else
	{
		slot->failures++;
		strlcpy(slot->last_error, error, AS_ERROR_LEN);
	}
	LWLockRelease(as_shared->lock);
}
