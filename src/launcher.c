/*-------------------------------------------------------------------------
 *
 * launcher.c
 *	  The asset_stream launcher: one background worker per cluster that
 *	  starts a maintenance worker in each database it serves.
 *
 * How databases are found: every launcher_naptime the launcher reads
 * pg_database (it is connected to no database, only to the shared
 * catalogs) and picks each database that allows connections, is not a
 * template, and is listed in asset_stream.databases (empty: all).  For each
 * one without a live worker it registers a dynamic worker.  That worker
 * exits at once, cleanly, when the extension is not installed in its
 * database; the launcher then backs off for that database (a naptime,
 * doubling up to 5 minutes).  CREATE EXTENSION wakes the launcher at commit, so a new
 * installation is served immediately.  Dynamic workers notify the launcher
 * (bgw_notify_pid) when they start and stop.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/pg_database.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "postmaster/interrupt.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "tcop/tcopprot.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"
#include "utils/varlena.h"

#include "asset_stream.h"

/* Longest wait before re-checking a database without the extension. */
#define AS_MAX_BACKOFF_MS	(5 * 60 * 1000L)

/* What the launcher knows about one database. */
typedef struct LauncherDb
{
	Oid			dboid;
	char		name[NAMEDATALEN];
	bool		seen;			/* still in pg_database at the last scan */
	BackgroundWorkerHandle *handle; /* running or starting worker, or NULL */
	TimestampTz next_try;		/* earliest start of a new worker */
	int			idle_exits;		/* workers in a row that found no extension */
} LauncherDb;

static MemoryContext LauncherContext = NULL;
static LauncherDb launcher_dbs[AS_MAX_DB_WORKERS];
static int	launcher_ndbs = 0;

static void launcher_attach(void);
static void launcher_detach(int code, Datum arg);
static void launcher_scan_databases(void);
static bool launcher_database_wanted(const char *name);
static LauncherDb *launcher_find_db(Oid dboid, const char *name);
static void launcher_start_workers(bool ignore_backoff);
static bool launcher_start_worker(LauncherDb *db);
static long launcher_backoff_ms(const LauncherDb *db);

/*
 * Register the launcher (from _PG_init, while preloading).
 */
void
as_register_launcher(void)
{
	BackgroundWorker worker;

	memset(&worker, 0, sizeof(worker));
	worker.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
	worker.bgw_start_time = BgWorkerStart_RecoveryFinished;
	worker.bgw_restart_time = 5;
	snprintf(worker.bgw_library_name, BGW_MAXLEN, AS_LIBRARY_NAME);
	snprintf(worker.bgw_function_name, BGW_MAXLEN, "asset_stream_launcher_main");
	snprintf(worker.bgw_name, BGW_MAXLEN, "asset_stream launcher");
	snprintf(worker.bgw_type, BGW_MAXLEN, "asset_stream launcher");
	RegisterBackgroundWorker(&worker);
}

/*
 * Entry point of the launcher.
 */
void
asset_stream_launcher_main(Datum main_arg)
{
	pqsignal(SIGHUP, SignalHandlerForConfigReload);
	pqsignal(SIGTERM, die);
	BackgroundWorkerUnblockSignals();

	BackgroundWorkerInitializeConnection(NULL, NULL, 0);
	pgstat_report_appname("asset_stream launcher");

	LauncherContext = AllocSetContextCreate(TopMemoryContext,
											"asset_stream launcher",
											ALLOCSET_DEFAULT_SIZES);
	launcher_attach();
	ereport(LOG, (errmsg("asset_stream launcher started")));

	for (;;)
	{
		bool		ignore_backoff;

		CHECK_FOR_INTERRUPTS();
		if (ConfigReloadPending)
		{
			ConfigReloadPending = false;
			ProcessConfigFile(PGC_SIGHUP);
		}

		LWLockAcquire(as_shared->lock, LW_EXCLUSIVE);
		ignore_backoff = as_shared->wake_requested;
		as_shared->wake_requested = false;
		LWLockRelease(as_shared->lock);

		launcher_scan_databases();
		launcher_start_workers(ignore_backoff);

		(void) WaitLatch(MyLatch,
						 WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
						 as_launcher_naptime_s * 1000L,
						 PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
	}
}

/*
 * Publish the launcher's pid and latch; clear them on exit.
 */
static void
launcher_attach(void)
{
	LWLockAcquire(as_shared->lock, LW_EXCLUSIVE);
	if (as_shared->launcher_pid != 0 && as_shared->launcher_pid != MyProcPid)
		ereport(LOG,
				(errmsg("replacing asset_stream launcher entry of PID %d",
						(int) as_shared->launcher_pid)));
	as_shared->launcher_pid = MyProcPid;
	as_shared->launcher_latch = MyLatch;
	as_shared->launcher_started_at = GetCurrentTimestamp();
	LWLockRelease(as_shared->lock);
	on_shmem_exit(launcher_detach, (Datum) 0);
}

static void
launcher_detach(int code, Datum arg)
{
	LWLockAcquire(as_shared->lock, LW_EXCLUSIVE);
	if (as_shared->launcher_pid == MyProcPid)
	{
		as_shared->launcher_pid = 0;
		as_shared->launcher_latch = NULL;
	}
	LWLockRelease(as_shared->lock);
}

/*
 * Refresh launcher_dbs from pg_database.  Databases that disappeared lose
 * their entry once their worker has stopped.
 */
static void
launcher_scan_databases(void)
{
	Relation	rel;
	TableScanDesc scan;
	HeapTuple	tup;
	int			i;

	for (i = 0; i < launcher_ndbs; i++)
		launcher_dbs[i].seen = false;

	SetCurrentStatementStartTimestamp();
	StartTransactionCommand();
	(void) GetTransactionSnapshot();

	rel = table_open(DatabaseRelationId, AccessShareLock);
	scan = table_beginscan_catalog(rel, 0, NULL);
	while (HeapTupleIsValid(tup = heap_getnext(scan, ForwardScanDirection)))
	{
		Form_pg_database form = (Form_pg_database) GETSTRUCT(tup);
		LauncherDb *db;

		if (!form->datallowconn || form->datistemplate ||
			database_is_invalid_form(form))
			continue;
		if (!launcher_database_wanted(NameStr(form->datname)))
			continue;
		db = launcher_find_db(form->oid, NameStr(form->datname));
		if (db != NULL)
			db->seen = true;
	}
	table_endscan(scan);
	table_close(rel, AccessShareLock);

	CommitTransactionCommand();

	/* forget databases that are gone and have no worker */
	for (i = 0; i < launcher_ndbs;)
	{
		if (!launcher_dbs[i].seen && launcher_dbs[i].handle == NULL)
			launcher_dbs[i] = launcher_dbs[--launcher_ndbs];
		else
			i++;
	}
}

/*
 * Is the database named in asset_stream.databases (or is the list empty)?
 */
static bool
launcher_database_wanted(const char *name)
{
	char	   *raw;
	List	   *names;
	ListCell   *lc;
	bool		wanted = false;

	if (as_databases == NULL || as_databases[0] == '\0')
		return true;

	raw = pstrdup(as_databases);
	if (!SplitIdentifierString(raw, ',', &names))
	{
		ereport(WARNING,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid list syntax in asset_stream.databases")));
		pfree(raw);
		return false;
	}
	foreach(lc, names)
	{
		if (strcmp((const char *) lfirst(lc), name) == 0)
			wanted = true;
	}
	list_free(names);
	pfree(raw);
	return wanted;
}

/*
 * Find or add the entry of a database; NULL when the table is full.
 */
static LauncherDb *
launcher_find_db(Oid dboid, const char *name)
{
	LauncherDb *db;
	int			i;

	for (i = 0; i < launcher_ndbs; i++)
		if (launcher_dbs[i].dboid == dboid)
			return &launcher_dbs[i];

	if (launcher_ndbs >= AS_MAX_DB_WORKERS)
	{
		ereport(WARNING,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("asset_stream launcher serves at most %d databases; database \"%s\" is skipped",
						AS_MAX_DB_WORKERS, name),
				 errhint("List the databases to serve in asset_stream.databases.")));
		return NULL;
	}
	db = &launcher_dbs[launcher_ndbs++];
	memset(db, 0, sizeof(LauncherDb));
	db->dboid = dboid;
	strlcpy(db->name, name, NAMEDATALEN);
	return db;
}

/*
 * Start a worker for every wanted database that has none and whose backoff
 * has passed (or ignore_backoff).
 */
static void
launcher_start_workers(bool ignore_backoff)
{
	TimestampTz now = GetCurrentTimestamp();
	int			i;

	for (i = 0; i < launcher_ndbs; i++)
	{
		LauncherDb *db = &launcher_dbs[i];

		if (db->handle != NULL)
		{
			pid_t		pid;
			BgwHandleStatus status = GetBackgroundWorkerPid(db->handle, &pid);

			if (status == BGWH_STARTED || status == BGWH_NOT_YET_STARTED)
				continue;
			/*
			 * The worker has stopped.  If it served the database, start the
			 * next one after a naptime; if it found no extension, back off
			 * (doubling, up to AS_MAX_BACKOFF_MS) until CREATE EXTENSION
			 * wakes us.
			 */
			pfree(db->handle);
			db->handle = NULL;
			if (as_db_has_slot(db->dboid))
				db->idle_exits = 0;
			else
				db->idle_exits = Min(db->idle_exits + 1, 20);
			db->next_try = TimestampTzPlusMilliseconds(now, launcher_backoff_ms(db));
		}
		if (!db->seen || as_db_is_held(db->dboid, now))
			continue;
		if (!ignore_backoff && now < db->next_try)
			continue;
		if (ignore_backoff)
			db->idle_exits = 0;
		if (!launcher_start_worker(db))
			db->next_try = TimestampTzPlusMilliseconds(now, as_launcher_naptime_s * 1000L);
	}
}

/*
 * Delay before the next worker of a database: a naptime, doubled for each
 * worker in a row that found no extension, at most AS_MAX_BACKOFF_MS.
 */
static long
launcher_backoff_ms(const LauncherDb *db)
{
	long		ms = as_launcher_naptime_s * 1000L;
	int			i;

	for (i = 0; i < db->idle_exits && ms < AS_MAX_BACKOFF_MS; i++)
		ms *= 2;
	return Min(ms, Max(AS_MAX_BACKOFF_MS, as_launcher_naptime_s * 1000L));
}

/*
 * Register the maintenance worker of one database.
 */
static bool
launcher_start_worker(LauncherDb *db)
{
	BackgroundWorker worker;
	MemoryContext oldcxt;
	bool		ok;

	memset(&worker, 0, sizeof(worker));
	worker.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
	worker.bgw_start_time = BgWorkerStart_RecoveryFinished;
	worker.bgw_restart_time = BGW_NEVER_RESTART;
	snprintf(worker.bgw_library_name, BGW_MAXLEN, AS_LIBRARY_NAME);
	snprintf(worker.bgw_function_name, BGW_MAXLEN, "asset_stream_maintenance_main");
	snprintf(worker.bgw_name, BGW_MAXLEN, "asset_stream maintenance for database %s", db->name);
	snprintf(worker.bgw_type, BGW_MAXLEN, "asset_stream maintenance");
	worker.bgw_main_arg = ObjectIdGetDatum(db->dboid);
	worker.bgw_notify_pid = MyProcPid;

	oldcxt = MemoryContextSwitchTo(LauncherContext);
	ok = RegisterDynamicBackgroundWorker(&worker, &db->handle);
	MemoryContextSwitchTo(oldcxt);

	if (!ok)
	{
		db->handle = NULL;
		ereport(WARNING,
				(errcode(ERRCODE_INSUFFICIENT_RESOURCES),
				 errmsg("could not start asset_stream maintenance worker for database \"%s\"", db->name),
				 errhint("You may need to increase max_worker_processes.")));
	}
	return ok;
}
