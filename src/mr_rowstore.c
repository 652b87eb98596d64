/*-------------------------------------------------------------------------
 *
 * mr_rowstore.c
 *	  The rows of one MATCH_RECOGNIZE partition (see mr_rowstore.h).
 *
 * The retained rows, [base, count), sit in a ring of 8-byte entries
 * indexed by row - base.  The older ones, [base, mem_first), have been
 * written to a temporary BufFile and their entry holds the row's file
 * position; the newer ones, [mem_first, count), are MinimalTuples in a
 * generation memory context (rows come and go in FIFO order, which is what
 * that context is made for) and their entry holds the pointer.
 *
 * When the rows in memory take more than the budget (mem_kb), the oldest
 * are written to the file until they take at most 7/8 of it, so that the
 * file is written in runs rather than one row per append; the newest row
 * always stays in memory.  Released rows in memory are freed at once;
 * released rows in the file are not reclaimed, but once no retained row
 * is in the file the next spill writes from its start again, so the file
 * grows with the largest backlog, not with the partition.  A reset closes
 * the file (the next spill creates another one).
 *
 * A fetch of a row in memory stores the tuple itself in the slot
 * (shouldFree = false); a fetch of a row in the file reads it into memory
 * of the slot's context, which the slot then owns.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "storage/buffile.h"
#include "utils/memutils.h"

#include "mr_rowstore.h"

/* A retained row: in memory (row >= mem_first) or in the file. */
typedef union MrRowRef
{
	MinimalTuple tuple;
	int64		offset;			/* BufFileTell position, see file_pos() */
} MrRowRef;

#define MR_RING_INITIAL 1024

struct MrRowStore
{
	MemoryContext cxt;			/* this struct, the ring, the BufFile */
	MemoryContext rowcxt;		/* the tuples in memory */
	TupleDesc	desc;
	int64		mem_limit;		/* budget for the tuples, in bytes */

	int64		base;			/* first retained row */
	int64		mem_first;		/* first row in memory (base <= it <= count) */
	int64		count;			/* rows appended since the last reset */

	MrRowRef   *ring;			/* entry of row r: ring[(head + r - base) & mask] */
	int64		ring_size;		/* a power of two */
	int64		head;

	int64		mem_bytes;		/* chunk space of the tuples in memory */
	int64		spilled;		/* rows written to the file since creation */

	BufFile    *file;			/* created at the first spill */
	int64		write_pos;		/* where the next spilled row goes */
	bool		at_write_pos;	/* the file is positioned there */
};

static inline MrRowRef *
ring_entry(MrRowStore *rs, int64 row)
{
	return &rs->ring[(rs->head + (row - rs->base)) & (rs->ring_size - 1)];
}

/*
 * File positions as one int64: the segment number of the BufFile in the
 * high half, the offset inside it (at most 1 GB) in the low half.
 */
static int64
file_pos(BufFile *file)
{
	int			fileno;
	off_t		offset;

	BufFileTell(file, &fileno, &offset);
	return ((int64) fileno << 32) | (int64) offset;
}

static void
file_seek(BufFile *file, int64 pos)
{
	if (BufFileSeek(file, (int) (pos >> 32), (off_t) (pos & 0xFFFFFFFF),
					SEEK_SET) != 0)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not seek in MATCH_RECOGNIZE temporary file")));
}

static void
file_read(BufFile *file, void *ptr, size_t size)
{
	size_t		nread = BufFileRead(file, ptr, size);

	if (nread != size)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not read from MATCH_RECOGNIZE temporary file: read only %zu of %zu bytes",
						nread, size)));
}

MrRowStore *
mr_rowstore_create(TupleDesc desc, int mem_kb)
{
	MemoryContext cxt;
	MrRowStore *rs;

	cxt = AllocSetContextCreate(CurrentMemoryContext, "MATCH_RECOGNIZE rows",
								ALLOCSET_SMALL_SIZES);
	rs = MemoryContextAllocZero(cxt, sizeof(MrRowStore));
	rs->cxt = cxt;
	rs->rowcxt = GenerationContextCreate(cxt, "MATCH_RECOGNIZE tuples",
										 0, 8 * 1024, 1024 * 1024);
	rs->desc = desc;
	rs->mem_limit = (int64) Max(mem_kb, 0) * 1024;
	rs->ring_size = MR_RING_INITIAL;
	rs->ring = MemoryContextAlloc(cxt, rs->ring_size * sizeof(MrRowRef));
	return rs;
}

/* Double the ring, unrolling it so that the entry of base is ring[0]. */
static void
ring_grow(MrRowStore *rs)
{
	int64		n = rs->count - rs->base;
	MrRowRef   *ring;

	if ((Size) rs->ring_size * 2 * sizeof(MrRowRef) > MaxAllocHugeSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many MATCH_RECOGNIZE rows retained in one partition")));
	ring = MemoryContextAllocHuge(rs->cxt, rs->ring_size * 2 * sizeof(MrRowRef));
	for (int64 i = 0; i < n; i++)
		ring[i] = *ring_entry(rs, rs->base + i);
	pfree(rs->ring);
	rs->ring = ring;
	rs->ring_size *= 2;
	rs->head = 0;
}

/*
 * Write the oldest rows in memory to the file until the rest takes at most
 * 7/8 of the budget, keeping the newest row in memory.
 */
static void
spill_oldest(MrRowStore *rs)
{
	int64		target = rs->mem_limit - rs->mem_limit / 8;

	if (rs->file == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(rs->cxt);

		rs->file = BufFileCreateTemp(false);
		MemoryContextSwitchTo(old);
		rs->write_pos = 0;
		rs->at_write_pos = true;
	}
	if (rs->mem_first == rs->base && rs->write_pos != 0)
	{
		/* no retained row is in the file: write it from its start again */
		rs->write_pos = 0;
		rs->at_write_pos = false;
	}
	if (!rs->at_write_pos)
		file_seek(rs->file, rs->write_pos);
	rs->at_write_pos = true;

	while (rs->mem_bytes > target && rs->mem_first < rs->count - 1)
	{
		MrRowRef   *ref = ring_entry(rs, rs->mem_first);
		MinimalTuple tuple = ref->tuple;

		ref->offset = file_pos(rs->file);
		BufFileWrite(rs->file, tuple, tuple->t_len);
		rs->mem_bytes -= GetMemoryChunkSpace(tuple);
		pfree(tuple);
		rs->mem_first++;
		rs->spilled++;
	}
	rs->write_pos = file_pos(rs->file);
}

int64
mr_rowstore_append(MrRowStore *rs, TupleTableSlot *slot)
{
	MemoryContext old;
	MinimalTuple tuple;

	if (rs->count - rs->base == rs->ring_size)
		ring_grow(rs);

	old = MemoryContextSwitchTo(rs->rowcxt);
	tuple = ExecCopySlotMinimalTuple(slot);
	MemoryContextSwitchTo(old);

	ring_entry(rs, rs->count)->tuple = tuple;
	rs->mem_bytes += GetMemoryChunkSpace(tuple);
	rs->count++;

	if (rs->mem_bytes > rs->mem_limit && rs->mem_first < rs->count - 1)
		spill_oldest(rs);
	return rs->count - 1;
}

int64
mr_rowstore_count(const MrRowStore *rs)
{
	return rs->count;
}

/* Read a spilled row into memory of the slot's context. */
static MinimalTuple
read_spilled(MrRowStore *rs, int64 offset, MemoryContext mcxt)
{
	uint32		len;
	MinimalTuple tuple;

	file_seek(rs->file, offset);
	rs->at_write_pos = false;
	file_read(rs->file, &len, sizeof(len));
	if (len < SizeofMinimalTupleHeader || len > MaxAllocSize)
		elog(ERROR, "corrupt MATCH_RECOGNIZE temporary file: tuple length %u", len);
	tuple = MemoryContextAlloc(mcxt, len);
	tuple->t_len = len;
	file_read(rs->file, (char *) tuple + sizeof(len), len - sizeof(len));
	return tuple;
}

bool
mr_rowstore_fetch(MrRowStore *rs, int64 row, TupleTableSlot *slot)
{
	MrRowRef   *ref;

	Assert(slot->tts_tupleDescriptor->natts == rs->desc->natts);
	if (row < rs->base || row >= rs->count)
	{
		ExecClearTuple(slot);
		return false;
	}
	ref = ring_entry(rs, row);
	if (row >= rs->mem_first)
		ExecStoreMinimalTuple(ref->tuple, slot, false);
	else
		ExecStoreMinimalTuple(read_spilled(rs, ref->offset, slot->tts_mcxt),
							  slot, true);
	return true;
}

void
mr_rowstore_release_before(MrRowStore *rs, int64 row)
{
	int64		upto = Min(row, rs->count);

	if (upto <= rs->base)
		return;
	for (int64 r = Max(rs->base, rs->mem_first); r < upto; r++)
	{
		MinimalTuple tuple = ring_entry(rs, r)->tuple;

		rs->mem_bytes -= GetMemoryChunkSpace(tuple);
		pfree(tuple);
	}
	rs->head = (rs->head + (upto - rs->base)) & (rs->ring_size - 1);
	rs->base = upto;
	rs->mem_first = Max(rs->mem_first, upto);
}

void
mr_rowstore_reset(MrRowStore *rs)
{
	MemoryContextReset(rs->rowcxt);
	if (rs->ring_size > MR_RING_INITIAL)
	{
		pfree(rs->ring);
		rs->ring_size = MR_RING_INITIAL;
		rs->ring = MemoryContextAlloc(rs->cxt, rs->ring_size * sizeof(MrRowRef));
	}
	rs->head = 0;
	rs->base = rs->mem_first = rs->count = 0;
	rs->mem_bytes = 0;
	if (rs->file)
	{
		/* gives the disk space back; the next spill makes a new file */
		BufFileClose(rs->file);
		rs->file = NULL;
	}
}

int64
mr_rowstore_mem_bytes(const MrRowStore *rs)
{
	return rs->mem_bytes;
}

int64
mr_rowstore_spilled_rows(const MrRowStore *rs)
{
	return rs->spilled;
}

void
mr_rowstore_free(MrRowStore *rs)
{
	if (rs->file)
		BufFileClose(rs->file);
	MemoryContextDelete(rs->cxt);
}
