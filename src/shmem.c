/*-------------------------------------------------------------------------
 *
 * shmem.c
 *	  Shared memory of the launcher and the per-database workers.
 *
 * Layout and locking: one AsSharedState, created in the shmem startup hook.
 * Every field is read and written under as_shared->lock (a named LWLock
 * tranche), held only for a few field copies, never across I/O.  The
 * launcher publishes its latch there so that backends can wake it (after
 * CREATE EXTENSION commits, for instance).  A worker owns the slot of its
 * database while it runs and clears its pid on exit.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <signal.h>

#include "access/xact.h"
#include "miscadmin.h"
#include "storage/ipc.h"
#include "storage/shmem.h"
#include "utils/timestamp.h"

#include "asset_stream.h"
#include "source.h"

AsSharedState *as_shared = NULL;

static shmem_request_hook_type prev_shmem_request_hook = NULL;
static shmem_startup_hook_type prev_shmem_startup_hook = NULL;

static bool wake_at_commit = false;
static bool wake_db_worker_at_commit = false;
static bool xact_callback_registered = false;

static void as_shmem_request(void);
static void as_shmem_startup(void);
static void as_release_slot(int code, Datum arg);
static void as_xact_callback(XactEvent event, void *arg);

/*
 * Chain the two PG15 shared-memory hooks (called from _PG_init).
 */
void
as_shmem_install_hooks(void)
{
	prev_shmem_request_hook = shmem_request_hook;
	shmem_request_hook = as_shmem_request;
	prev_shmem_startup_hook = shmem_startup_hook;
	shmem_startup_hook = as_shmem_startup;
}

static void
as_shmem_request(void)
{
	if (prev_shmem_request_hook)
		prev_shmem_request_hook();
	RequestAddinShmemSpace(MAXALIGN(sizeof(AsSharedState)));
	RequestAddinShmemSpace(as_source_shmem_size());
	RequestNamedLWLockTranche(AS_EXTENSION_NAME, 1);
}

/*
 * Create or attach the shared state.  Runs again after a crash-restart, so
 * the pointer is reset first.
 */
static void
as_shmem_startup(void)
{
	bool		found;

	if (prev_shmem_startup_hook)
		prev_shmem_startup_hook();

	as_shared = NULL;
	LWLockAcquire(AddinShmemInitLock, LW_EXCLUSIVE);
	as_shared = ShmemInitStruct("asset_stream", sizeof(AsSharedState), &found);
	if (!found)
	{
		memset(as_shared, 0, sizeof(AsSharedState));
		as_shared->lock = &(GetNamedLWLockTranche(AS_EXTENSION_NAME))->lock;
	}
	as_source_shmem_startup();
	LWLockRelease(AddinShmemInitLock);
}

/*
 * True when the library was preloaded, so the launcher and its workers exist.
 */
bool
as_workers_available(void)
{
	return as_shared != NULL;
}

/*
 * Raise a clear error when a function that needs the workers is called
 * without the library in shared_preload_libraries.
 */
void
as_require_workers(const char *what)
{
	if (as_shared == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("%s needs the asset_stream background workers", what),
				 errdetail("The asset_stream library was not loaded through shared_preload_libraries."),
				 errhint("Add asset_stream to shared_preload_libraries in postgresql.conf and restart the server.")));
}

/*
 * Claim the slot of a database for the calling worker.  Returns NULL when
 * another live worker already owns it or no slot is free.  The slot's pid is
 * cleared again when the process exits.
 */
AsDbWorkerSlot *
as_claim_db_slot(Oid dboid)
{
	AsDbWorkerSlot *slot = NULL;
	int			i;

	LWLockAcquire(as_shared->lock, LW_EXCLUSIVE);
	for (i = 0; i < AS_MAX_DB_WORKERS; i++)
	{
		if (as_shared->slots[i].dboid == dboid)
		{
			slot = &as_shared->slots[i];
			break;
		}
		if (slot == NULL && as_shared->slots[i].dboid == InvalidOid)
			slot = &as_shared->slots[i];
	}
	if (slot != NULL && slot->dboid == dboid && slot->pid != 0 &&
		kill(slot->pid, 0) == 0)
		slot = NULL;			/* someone else serves this database */
	else if (slot != NULL)
	{
		if (slot->dboid != dboid)
			memset(slot, 0, sizeof(AsDbWorkerSlot));
		slot->dboid = dboid;
		slot->pid = MyProcPid;
		slot->latch = MyLatch;
		slot->started_at = GetCurrentTimestamp();
	}
	LWLockRelease(as_shared->lock);

	if (slot != NULL)
		on_shmem_exit(as_release_slot, PointerGetDatum(slot));
	return slot;
}

static void
as_release_slot(int code, Datum arg)
{
	AsDbWorkerSlot *slot = (AsDbWorkerSlot *) DatumGetPointer(arg);

	LWLockAcquire(as_shared->lock, LW_EXCLUSIVE);
	if (slot->pid == MyProcPid)
	{
		slot->pid = 0;
		slot->latch = NULL;
	}
	LWLockRelease(as_shared->lock);
}

/*
 * Wake the launcher now.  With ignore_backoff it starts workers for every
 * database that lacks one, even those it tried recently.
 */
void
as_wake_launcher(bool ignore_backoff)
{
	Latch	   *latch;

	if (as_shared == NULL)
		return;
	LWLockAcquire(as_shared->lock, LW_EXCLUSIVE);
	if (ignore_backoff)
		as_shared->wake_requested = true;
	latch = as_shared->launcher_latch;
	LWLockRelease(as_shared->lock);
	if (latch != NULL)
		SetLatch(latch);
}

/*
 * Wake the launcher when the current transaction commits (a worker started
 * earlier would not yet see what the transaction created).
 */
void
as_wake_launcher_at_commit(void)
{
	if (as_shared == NULL)
		return;
	if (!xact_callback_registered)
	{
		RegisterXactCallback(as_xact_callback, NULL);
		xact_callback_registered = true;
	}
	wake_at_commit = true;
}

/*
 * Wake the maintenance worker of this database when the current
 * transaction commits, so that it starts or stops source workers now (or
 * the launcher, when that worker is not running yet).
 */
void
as_wake_db_worker_at_commit(void)
{
	if (as_shared == NULL)
		return;
	if (!xact_callback_registered)
	{
		RegisterXactCallback(as_xact_callback, NULL);
		xact_callback_registered = true;
	}
	wake_db_worker_at_commit = true;
}

static void
as_wake_db_worker(Oid dboid)
{
	Latch	   *latch = NULL;
	int			i;

	LWLockAcquire(as_shared->lock, LW_SHARED);
	for (i = 0; i < AS_MAX_DB_WORKERS; i++)
		if (as_shared->slots[i].dboid == dboid && as_shared->slots[i].pid != 0)
			latch = as_shared->slots[i].latch;
	LWLockRelease(as_shared->lock);
	if (latch != NULL)
		SetLatch(latch);
	else
		as_wake_launcher(true);
}

static void
as_xact_callback(XactEvent event, void *arg)
{
	switch (event)
	{
		case XACT_EVENT_COMMIT:
			if (wake_at_commit)
				as_wake_launcher(true);
			if (wake_db_worker_at_commit)
				as_wake_db_worker(MyDatabaseId);
			wake_at_commit = false;
			wake_db_worker_at_commit = false;
			break;
		case XACT_EVENT_ABORT:
		case XACT_EVENT_PARALLEL_ABORT:
			wake_at_commit = false;
			wake_db_worker_at_commit = false;
			break;
		default:
			break;
	}
}

/*
 * Has a worker ever served this database since the postmaster started?
 */
bool
as_db_has_slot(Oid dboid)
{
	bool		found = false;
	int			i;

	LWLockAcquire(as_shared->lock, LW_SHARED);
	for (i = 0; i < AS_MAX_DB_WORKERS; i++)
		if (as_shared->slots[i].dboid == dboid && as_shared->slots[i].started_at != 0)
			found = true;
	LWLockRelease(as_shared->lock);
	return found;
}

/*
 * True while the launcher must leave the database alone (it is being
 * dropped, renamed or copied).
 */
bool
as_db_is_held(Oid dboid, TimestampTz now)
{
	bool		held = false;
	int			i;

	LWLockAcquire(as_shared->lock, LW_SHARED);
	for (i = 0; i < AS_MAX_DB_WORKERS; i++)
		if (as_shared->slots[i].dboid == dboid)
			held = as_shared->slots[i].hold_until > now;
	LWLockRelease(as_shared->lock);
	return held;
}

/*
 * Ask the worker of a database to exit and keep the launcher from starting
 * another one for hold_ms, so that commands needing the database free of
 * connections (DROP, RENAME, CREATE DATABASE ... TEMPLATE) can proceed.
 */
void
as_release_database(Oid dboid, int hold_ms)
{
	TimestampTz until = TimestampTzPlusMilliseconds(GetCurrentTimestamp(), hold_ms);
	pid_t		pid = 0;
	int			i;

	if (as_shared == NULL || !OidIsValid(dboid))
		return;

	LWLockAcquire(as_shared->lock, LW_EXCLUSIVE);
	for (i = 0; i < AS_MAX_DB_WORKERS; i++)
	{
		AsDbWorkerSlot *slot = &as_shared->slots[i];

		if (slot->dboid == dboid)
		{
			slot->hold_until = until;
			pid = slot->pid;
			break;
		}
		if (slot->dboid == InvalidOid)
		{
			slot->dboid = dboid;
			slot->hold_until = until;
			break;
		}
	}
	LWLockRelease(as_shared->lock);

	if (pid != 0)
		kill(pid, SIGTERM);
	as_source_stop_database(dboid);
}
