/*-------------------------------------------------------------------------
 *
 * worker_status.c
 *	  SQL functions about the background workers: worker_status() lists the
 *	  launcher and the maintenance workers with their last runs, and the
 *	  internal helpers the install script and create_stream() call.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "commands/dbcommands.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

#include "asset_stream.h"

#define WS_COLS 8

PG_FUNCTION_INFO_V1(worker_status);
PG_FUNCTION_INFO_V1(workers_available);
PG_FUNCTION_INFO_V1(wake_launcher);

static void ws_put(ReturnSetInfo *rsinfo, const char *kind, Oid dboid, pid_t pid,
				   TimestampTz started, TimestampTz last_run, int64 runs,
				   int64 failures, const char *last_error);

/*
 * worker_status() RETURNS TABLE(kind, database, pid, started_at, last_run_at,
 *								 runs, failures, last_error)
 */
Datum
worker_status(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	AsSharedState copy;
	int			i;

	as_require_workers("asset_stream.worker_status()");
	InitMaterializedSRF(fcinfo, 0);

	LWLockAcquire(as_shared->lock, LW_SHARED);
	memcpy(&copy, as_shared, sizeof(AsSharedState));
	LWLockRelease(as_shared->lock);

	if (copy.launcher_pid != 0)
		ws_put(rsinfo, "launcher", InvalidOid, copy.launcher_pid,
			   copy.launcher_started_at, 0, 0, 0, NULL);
	for (i = 0; i < AS_MAX_DB_WORKERS; i++)
	{
		AsDbWorkerSlot *s = &copy.slots[i];

		if (s->dboid == InvalidOid || s->started_at == 0)
			continue;
		ws_put(rsinfo, "maintenance", s->dboid, s->pid, s->started_at,
			   s->last_run_at, s->runs, s->failures,
			   s->last_error[0] ? s->last_error : NULL);
	}
	return (Datum) 0;
}

static void
ws_put(ReturnSetInfo *rsinfo, const char *kind, Oid dboid, pid_t pid,
	   TimestampTz started, TimestampTz last_run, int64 runs, int64 failures,
	   const char *last_error)
{
	Datum		values[WS_COLS];
	bool		nulls[WS_COLS];
	char	   *dbname = OidIsValid(dboid) ? get_database_name(dboid) : NULL;

	memset(nulls, 0, sizeof(nulls));
	values[0] = CStringGetTextDatum(kind);
	if (dbname)
		values[1] = CStringGetTextDatum(dbname);
	else
		nulls[1] = true;
	values[2] = Int32GetDatum((int32) pid);
	nulls[2] = (pid == 0);
	values[3] = TimestampTzGetDatum(started);
	nulls[3] = (started == 0);
	values[4] = TimestampTzGetDatum(last_run);
	nulls[4] = (last_run == 0);
	values[5] = Int64GetDatum(runs);
	values[6] = Int64GetDatum(failures);
	if (last_error)
		values[7] = CStringGetTextDatum(last_error);
	else
		nulls[7] = true;
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
}

/*
 * _workers_available(): was the library preloaded?
 */
Datum
workers_available(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(as_workers_available());
}

/*
 * _wake_launcher(): start the maintenance worker of this database as soon as
 * the current transaction commits.  Does nothing without preloading.
 */
Datum
wake_launcher(PG_FUNCTION_ARGS)
{
	as_wake_launcher_at_commit();
	PG_RETURN_VOID();
}
