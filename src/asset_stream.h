/*-------------------------------------------------------------------------
 *
 * asset_stream.h
 *	  Declarations shared by the asset_stream C modules: GUC variables,
 *	  the shared-memory state of the background workers, and the entry
 *	  points that other files call.
 *
 *-------------------------------------------------------------------------
 */
#ifndef ASSET_STREAM_H
#define ASSET_STREAM_H

#include "postgres.h"

#include "datatype/timestamp.h"
#include "storage/latch.h"
#include "storage/lwlock.h"

#define AS_EXTENSION_NAME	"asset_stream"
#define AS_LIBRARY_NAME		"asset_stream"

/* Most databases the launcher serves at once (one maintenance worker each). */
#define AS_MAX_DB_WORKERS	64
#define AS_ERROR_LEN		256

/* GUC variables (asset_stream.c) */
extern int	as_max_future_s;		/* asset_stream.max_future, seconds; -1 = off */
extern int	as_max_asset_id_len;	/* asset_stream.max_asset_id_length, bytes */
extern char *as_databases;			/* asset_stream.databases; "" = all */
extern int	as_launcher_naptime_s;	/* asset_stream.launcher_naptime */
extern int	as_maintenance_interval_s;	/* asset_stream.maintenance_interval */
extern int	as_premake;			/* asset_stream.premake, partitions */
extern int	as_max_partial_matches;	/* asset_stream.max_partial_matches; 0 = off */
extern int	as_match_matcher;		/* asset_stream.match_matcher */

#define AS_MATCHER_LINEAR		0
#define AS_MATCHER_BACKTRACK	1

/*
 * One maintenance worker's entry in shared memory.  A slot belongs to a
 * database (dboid) for the life of the postmaster; pid is 0 while no worker
 * runs for it.  Protected by AsSharedState.lock.
 */
typedef struct AsDbWorkerSlot
{
	Oid			dboid;			/* InvalidOid: slot unused */
	pid_t		pid;			/* running worker, or 0 */
	Latch	   *latch;			/* the running worker's latch, or NULL */
	TimestampTz started_at;		/* when the current/last worker started */
	TimestampTz last_run_at;	/* end of the last maintenance run */
	int64		runs;			/* successful runs */
	int64		failures;		/* runs that raised an error */
	TimestampTz hold_until;		/* launcher must not start a worker before */
	char		last_error[AS_ERROR_LEN];
} AsDbWorkerSlot;

/*
 * Shared state of the launcher and its workers.  All fields are protected by
 * lock, except that launcher_latch is only written by the launcher itself.
 */
typedef struct AsSharedState
{
	LWLock	   *lock;
	pid_t		launcher_pid;	/* 0 while no launcher runs */
	Latch	   *launcher_latch;
	TimestampTz launcher_started_at;
	bool		wake_requested; /* start workers now, ignoring backoff */
	AsDbWorkerSlot slots[AS_MAX_DB_WORKERS];
} AsSharedState;

/* shmem.c */
extern AsSharedState *as_shared;
extern void as_shmem_install_hooks(void);
extern bool as_workers_available(void);
extern void as_require_workers(const char *what);
extern AsDbWorkerSlot *as_claim_db_slot(Oid dboid);
extern void as_wake_launcher(bool ignore_backoff);
extern void as_wake_launcher_at_commit(void);
extern bool as_db_is_held(Oid dboid, TimestampTz now);
extern bool as_db_has_slot(Oid dboid);
extern void as_release_database(Oid dboid, int hold_ms);
extern void as_wake_db_worker_at_commit(void);

/* launcher.c */
extern void as_register_launcher(void);
extern PGDLLEXPORT void asset_stream_launcher_main(Datum main_arg);

/* maintenance_worker.c */
extern PGDLLEXPORT void asset_stream_maintenance_main(Datum main_arg);

/* utility_hook.c */
extern void as_install_utility_hook(void);

#endif							/* ASSET_STREAM_H */
