/*-------------------------------------------------------------------------
 *
 * source_slots.c
 *	  Shared memory of the ingest sources: one slot per source with its
 *	  worker's pid and state, its backoff, and the live counters that the
 *	  asset_stream.sources view shows (as_source_stats()).
 *
 * The slots live in their own shmem struct and are protected by the
 * extension's LWLock (as_shared->lock), held only for field copies.  A
 * slot belongs to (database, source id); the supervisor creates it, the
 * source's worker claims it while it runs, and the counters survive worker
 * restarts (not server restarts).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <signal.h>

#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "storage/ipc.h"
#include "storage/shmem.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

#include "source.h"

/* Longest backoff before restarting a failing worker. */
#define SOURCE_MAX_BACKOFF_MS	60000

static AsSourceSlot *source_slots = NULL;

static void as_source_release(int code, Datum arg);

PG_FUNCTION_INFO_V1(as_source_stats);

Size
as_source_shmem_size(void)
{
	return MAXALIGN(sizeof(AsSourceSlot) * AS_MAX_SOURCES);
}

/* Called from the shmem startup hook, with AddinShmemInitLock held. */
void
as_source_shmem_startup(void)
{
	bool		found;

	source_slots = ShmemInitStruct("asset_stream sources",
								   as_source_shmem_size(), &found);
	if (!found)
		memset(source_slots, 0, as_source_shmem_size());
}

/*
 * Find the slot of a source, making it when create is set.  Call with
 * as_shared->lock held exclusively.  NULL when absent (or no slot free).
 */
AsSourceSlot *
as_source_lookup(Oid dboid, int32 source_id, bool create)
{
	AsSourceSlot *free_slot = NULL;
	int			i;

	for (i = 0; i < AS_MAX_SOURCES; i++)
	{
		AsSourceSlot *s = &source_slots[i];

		if (s->dboid == dboid && s->source_id == source_id)
			return s;
		if (free_slot == NULL && s->dboid == InvalidOid)
			free_slot = s;
	}
	if (!create || free_slot == NULL)
		return NULL;
	memset(free_slot, 0, sizeof(AsSourceSlot));
	free_slot->dboid = dboid;
	free_slot->source_id = source_id;
	free_slot->last_event_time = DT_NOBEGIN;
	return free_slot;
}

/* The i-th slot, for the supervisor's scans (lock held). */
AsSourceSlot *
as_source_slot_at(int i)
{
	return &source_slots[i];
}

/*
 * The calling worker takes the slot of its source.  Returns NULL when
 * another live worker has it.  On exit the slot records whether the worker
 * failed (it then restarts after a backoff) or stopped cleanly.
 */
AsSourceSlot *
as_source_claim(Oid dboid, int32 source_id)
{
	AsSourceSlot *slot;

	LWLockAcquire(as_shared->lock, LW_EXCLUSIVE);
	slot = as_source_lookup(dboid, source_id, true);
	if (slot != NULL && slot->pid != 0 && slot->pid != MyProcPid &&
		kill(slot->pid, 0) == 0)
		slot = NULL;
	else if (slot != NULL)
	{
		slot->pid = MyProcPid;
		slot->started_at = GetCurrentTimestamp();
		slot->state = SRC_CONNECTING;
	}
	LWLockRelease(as_shared->lock);

	if (slot != NULL)
		before_shmem_exit(as_source_release, PointerGetDatum(slot));
	return slot;
}

static void
as_source_release(int code, Datum arg)
{
	AsSourceSlot *slot = (AsSourceSlot *) DatumGetPointer(arg);
	TimestampTz now = GetCurrentTimestamp();

	LWLockAcquire(as_shared->lock, LW_EXCLUSIVE);
	if (slot->pid == MyProcPid)
	{
		slot->pid = 0;
		if (code != 0)
		{
			int			backoff_ms;

			slot->failures_in_row = Min(slot->failures_in_row + 1, 16);
			backoff_ms = Min(SOURCE_MAX_BACKOFF_MS,
							 1000 << (slot->failures_in_row - 1));
			slot->state = SRC_FAILED;
			slot->restart_after = TimestampTzPlusMilliseconds(now, backoff_ms);
		}
		else
		{
			slot->state = SRC_STOPPED;
			slot->restart_after = now;
		}
	}
	LWLockRelease(as_shared->lock);
}

/*
 * Set the state of a source, and its last error when one is given.  A
 * source that reaches RUNNING has recovered: its failure count restarts.
 */
void
as_source_set_state(AsSourceSlot *slot, AsSourceState state, const char *error)
{
	LWLockAcquire(as_shared->lock, LW_EXCLUSIVE);
	slot->state = state;
	if (state == SRC_RUNNING)
		slot->failures_in_row = 0;
	if (error != NULL)
	{
		strlcpy(slot->last_error, error, AS_ERROR_LEN);
		slot->last_error_at = GetCurrentTimestamp();
	}
	LWLockRelease(as_shared->lock);
}

/*
 * Count a committed batch.
 */
void
as_source_count_batch(AsSourceSlot *slot, int64 accepted, int64 rejected,
					  int64 bytes, TimestampTz max_event_time)
{
	TimestampTz now = GetCurrentTimestamp();

	LWLockAcquire(as_shared->lock, LW_EXCLUSIVE);
	slot->rows_accepted += accepted;
	slot->rows_rejected += rejected;
	slot->batches++;
	slot->bytes += bytes;
	slot->last_commit_at = now;
	if (accepted > 0 && max_event_time != DT_NOBEGIN)
	{
		slot->last_lag_us = now - max_event_time;
		if (max_event_time > slot->last_event_time)
			slot->last_event_time = max_event_time;
	}
	LWLockRelease(as_shared->lock);
}

/*
 * SIGTERM every source worker of a database (it is being dropped, renamed
 * or copied; the maintenance worker, held off meanwhile, restarts them).
 */
void
as_source_stop_database(Oid dboid)
{
	pid_t		pids[AS_MAX_SOURCES];
	int			n = 0;
	int			i;

	if (source_slots == NULL)
		return;
	LWLockAcquire(as_shared->lock, LW_SHARED);
	for (i = 0; i < AS_MAX_SOURCES; i++)
		if (source_slots[i].dboid == dboid && source_slots[i].pid != 0)
			pids[n++] = source_slots[i].pid;
	LWLockRelease(as_shared->lock);
	for (i = 0; i < n; i++)
		kill(pids[i], SIGTERM);
}

const char *
as_source_state_name(AsSourceState state)
{
	switch (state)
	{
		case SRC_STOPPED:
			return "stopped";
		case SRC_STARTING:
			return "starting";
		case SRC_CONNECTING:
			return "connecting";
		case SRC_RUNNING:
			return "running";
		case SRC_RETRYING:
			return "retrying";
		case SRC_FAILED:
			return "failed";
	}
	return "unknown";
}

/*
 * asset_stream._source_stats(): the slots of this database's sources.
 * Empty (not an error) without shared_preload_libraries, so that the
 * sources view still lists the configuration.
 */
Datum
as_source_stats(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	AsSourceSlot *copy;
	int			i;

	InitMaterializedSRF(fcinfo, 0);
	if (source_slots == NULL)
		return (Datum) 0;

	copy = palloc(as_source_shmem_size());
	LWLockAcquire(as_shared->lock, LW_SHARED);
	memcpy(copy, source_slots, as_source_shmem_size());
	LWLockRelease(as_shared->lock);

	for (i = 0; i < AS_MAX_SOURCES; i++)
	{
		AsSourceSlot *s = &copy[i];
		Datum		values[13];
		bool		nulls[13];

		if (s->dboid != MyDatabaseId)
			continue;
		memset(nulls, 0, sizeof(nulls));
		values[0] = Int32GetDatum(s->source_id);
		values[1] = CStringGetTextDatum(as_source_state_name(s->state));
		values[2] = Int32GetDatum((int32) s->pid);
		nulls[2] = (s->pid == 0);
		values[3] = Int64GetDatum(s->rows_accepted);
		values[4] = Int64GetDatum(s->rows_rejected);
		values[5] = Int64GetDatum(s->batches);
		values[6] = Int64GetDatum(s->bytes);
		values[7] = TimestampTzGetDatum(s->last_event_time);
		nulls[7] = (s->last_event_time == DT_NOBEGIN);
		values[8] = TimestampTzGetDatum(s->last_commit_at);
		nulls[8] = (s->last_commit_at == 0);
		if (s->last_event_time == DT_NOBEGIN)
			nulls[9] = true;
		else
		{
			Interval   *lag = palloc0(sizeof(Interval));

			lag->time = s->last_lag_us;
			values[9] = IntervalPGetDatum(lag);
		}
		values[10] = CStringGetTextDatum(s->last_error);
		nulls[10] = (s->last_error[0] == '\0');
		values[11] = TimestampTzGetDatum(s->last_error_at);
		nulls[11] = (s->last_error_at == 0);
		values[12] = TimestampTzGetDatum(s->started_at);
		nulls[12] = (s->started_at == 0);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
