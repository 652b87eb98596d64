/*-------------------------------------------------------------------------
 *
 * mr_rowstore.c
 *	  The rows of one MATCH_RECOGNIZE partition (see mr_rowstore.h).
 *
 * The retained rows, [base, count), sit in a ring of 8-byte entries
 * indexed by row - base.  The older ones, [base, mem_first), have been
 * written to a temporary BufFile and their entry holds the row's file
 * position; the newer ones, [mem_first, count), are in memory and their
 * entry holds the pointer.  A row is kept deformed, as its Datums and null
 * flags followed by copies of its by-reference values, so a fetch copies a
 * few words into a virtual slot and nothing is deformed again.  Rows are
 * laid one after the other in blocks of 16 kB (an eighth of a budget
 * under 128 kB; a larger row gets a block of its own); rows come and go in FIFO order, so a block is freed, or
 * kept as the one spare, when its newest row is released or spilled.
 *
 * When the rows in memory take more than the budget (mem_kb), the oldest
 * are written to the file until they take at most 7/8 of it, so that the
 * file is written in runs rather than one row per append; the newest row
 * always stays in memory.  Released rows in memory go with their block;
 * released rows in the file are not reclaimed, but once no retained row
 * is in the file the next spill writes from its start again, so the file
 * grows with the largest backlog, not with the partition.  A reset closes
 * the file (the next spill creates another one).
 *
 * A fetch of a row in memory points the slot's values into the row; a
 * fetch of a row in the file reads it into a buffer the store keeps for
 * that slot (reused by the slot's next fetch from the file).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "storage/buffile.h"
#include "utils/expandeddatum.h"
#include "utils/memutils.h"

#include "mr_rowstore.h"

/* A retained row: in memory (row >= mem_first) or in the file. */
typedef union MrRowRef
{
	char	   *row;			/* a row in memory, see below */
	int64		offset;			/* BufFileTell position, see file_pos() */
} MrRowRef;

/*
 * A row is one chunk: natts Datums, natts null flags, then the bytes of
 * its by-reference values, each MAXALIGNed, which the Datums point to.
 * In the file the same chunk follows its length (uint32), with each
 * by-reference Datum replaced by the value's offset from the chunk's start.
 */
#define ROW_VALUES(row)			((Datum *) (row))
#define ROW_NULLS(rs, row)		((bool *) ((row) + (rs)->nulls_off))

/*
 * Rows in memory sit one after the other in blocks; a block is freed (or
 * kept as the spare) when its last row is released or spilled, so memory
 * is reused in FIFO order without a palloc per row.
 */
typedef struct MrBlock
{
	struct MrBlock *next;		/* the next newer block */
	Size		size;			/* bytes for rows after this header */
	Size		used;
	int64		last_row;		/* the newest row in the block */
} MrBlock;

/* Block size: 16 kB, or an eighth of a small budget (at least 1 kB). */
#define MR_BLOCK_SIZE (16 * 1024)
#define MR_BLOCK_MIN (1024)
#define BLOCK_DATA(b)	((char *) (b) + MAXALIGN(sizeof(MrBlock)))

/* Where a fetch into `slot` of a row in the file keeps the row. */
typedef struct MrReadBuf
{
	TupleTableSlot *slot;
	char	   *buf;
	Size		size;
} MrReadBuf;

#define MR_RING_INITIAL 1024

struct MrRowStore
{
	MemoryContext cxt;			/* this struct, the ring, the BufFile */
	MemoryContext rowcxt;		/* the blocks of rows in memory */
	MrBlock    *oldest;			/* blocks holding rows in memory, oldest */
	MrBlock    *newest;			/* first; rows are added to the newest */
	MrBlock    *spare;			/* a free block of block_size, reused */
	Size		block_size;
	int64		mem_limit;		/* budget for the rows, in bytes */

	int64		base;			/* first retained row */
	int64		mem_first;		/* first row in memory (base <= it <= count) */
	int64		count;			/* rows appended since the last reset */

	MrRowRef   *ring;			/* entry of row r: ring[(head + r - base) & mask] */
	int64		ring_size;		/* a power of two */
	int64		head;

	int64		mem_bytes;		/* size of the blocks in oldest .. newest */
	int64		spilled;		/* rows written to the file since creation */
	int			natts;
	int16	   *attlen;			/* per column */
	bool	   *attbyval;
	Size	   *vsize;			/* append: sizes of the row's by-reference values */
	Size		nulls_off;		/* of the null flags in a row */
	Size		data_off;		/* of the first by-reference value */
	MrReadBuf  *bufs;			/* one per slot rows were read into */
	int			nbufs;
	int			bufs_cap;
	uint64		generation;		/* bumped when rows in memory move or all go */

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
	rs->rowcxt = AllocSetContextCreate(cxt, "MATCH_RECOGNIZE row values",
									   ALLOCSET_DEFAULT_SIZES);
	rs->mem_limit = (int64) Max(mem_kb, 0) * 1024;
	rs->block_size = MAXALIGN(Min(MR_BLOCK_SIZE, Max(rs->mem_limit / 8, MR_BLOCK_MIN)));
	rs->ring_size = MR_RING_INITIAL;
	rs->ring = MemoryContextAlloc(cxt, rs->ring_size * sizeof(MrRowRef));
	rs->natts = desc->natts;
	rs->attlen = MemoryContextAlloc(cxt, sizeof(int16) * Max(rs->natts, 1));
	rs->attbyval = MemoryContextAlloc(cxt, sizeof(bool) * Max(rs->natts, 1));
	rs->vsize = MemoryContextAlloc(cxt, sizeof(Size) * Max(rs->natts, 1));
	for (int i = 0; i < rs->natts; i++)
	{
		rs->attlen[i] = TupleDescAttr(desc, i)->attlen;
		rs->attbyval[i] = TupleDescAttr(desc, i)->attbyval;
	}
	rs->nulls_off = sizeof(Datum) * rs->natts;
	rs->data_off = MAXALIGN(rs->nulls_off + rs->natts);
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

/* Room for a row of `size` bytes at the end of the newest block. */
static char *
block_alloc(MrRowStore *rs, Size size)
{
	MrBlock    *b = rs->newest;
	char	   *p;

	if (b == NULL || b->size - b->used < size)
	{
		if (size <= rs->block_size && rs->spare != NULL)
		{
			b = rs->spare;
			rs->spare = NULL;
		}
		else
		{
			Size		bsize = Max(size, rs->block_size);

			b = MemoryContextAllocHuge(rs->rowcxt, MAXALIGN(sizeof(MrBlock)) + bsize);
			b->size = bsize;
		}
		b->used = 0;
		b->next = NULL;
		if (rs->newest)
			rs->newest->next = b;
		else
			rs->oldest = b;
		rs->newest = b;
		rs->mem_bytes += MAXALIGN(sizeof(MrBlock)) + b->size;
	}
	p = BLOCK_DATA(b) + b->used;
	b->used += size;
	b->last_row = rs->count;
	return p;
}

/* Free the blocks whose rows are all released or in the file. */
static void
blocks_trim(MrRowStore *rs)
{
	while (rs->oldest != NULL && rs->oldest->last_row < rs->mem_first)
	{
		MrBlock    *b = rs->oldest;

		rs->oldest = b->next;
		if (rs->oldest == NULL)
			rs->newest = NULL;
		rs->mem_bytes -= MAXALIGN(sizeof(MrBlock)) + b->size;
		if (b->size == rs->block_size && rs->spare == NULL)
			rs->spare = b;
		else
			pfree(b);
	}
}

/* Bytes a by-reference value takes in a row (expanded objects flattened). */
static inline Size
value_size(MrRowStore *rs, int i, Datum v)
{
	if (rs->attlen[i] > 0)
		return rs->attlen[i];
	if (rs->attlen[i] == -2)
		return strlen(DatumGetCString(v)) + 1;
	if (VARATT_IS_EXTERNAL_EXPANDED(DatumGetPointer(v)))
		return EOH_get_flat_size(DatumGetEOHP(v));
	return VARSIZE_ANY(DatumGetPointer(v));
}

/* Total row length of rows in the file, as read back: a sanity bound. */
static void
check_row_length(MrRowStore *rs, uint32 len)
{
	if (len < rs->data_off || len > MaxAllocSize)
		elog(ERROR, "corrupt MATCH_RECOGNIZE temporary file: row length %u", len);
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
	rs->generation++;

	while (rs->mem_bytes > target && rs->mem_first < rs->count - 1)
	{
		MrRowRef   *ref = ring_entry(rs, rs->mem_first);
		char	   *row = ref->row;
		Datum	   *values = ROW_VALUES(row);
		bool	   *nulls = ROW_NULLS(rs, row);
		uint32		len = (uint32) rs->data_off;

		for (int i = 0; i < rs->natts; i++)
			if (!nulls[i] && !rs->attbyval[i])
			{
				len += MAXALIGN(value_size(rs, i, values[i]));
				values[i] = (Datum) ((char *) DatumGetPointer(values[i]) - row);
			}
		ref->offset = file_pos(rs->file);
		BufFileWrite(rs->file, &len, sizeof(len));
		BufFileWrite(rs->file, row, len);
		rs->mem_first++;
		rs->spilled++;
		blocks_trim(rs);
	}
	rs->write_pos = file_pos(rs->file);
}

int64
mr_rowstore_append(MrRowStore *rs, TupleTableSlot *slot)
{
	Size		size = rs->data_off;
	char	   *row;
	char	   *data;
	Datum	   *values;
	bool	   *nulls;

	if (rs->count - rs->base == rs->ring_size)
		ring_grow(rs);

	slot_getallattrs(slot);
	for (int i = 0; i < rs->natts; i++)
		if (!slot->tts_isnull[i] && !rs->attbyval[i])
		{
			rs->vsize[i] = value_size(rs, i, slot->tts_values[i]);
			size += MAXALIGN(rs->vsize[i]);
		}
	if (size > MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("a MATCH_RECOGNIZE input row is too large (%zu bytes)", size)));

	row = block_alloc(rs, MAXALIGN(size));
	values = ROW_VALUES(row);
	nulls = ROW_NULLS(rs, row);
	memcpy(values, slot->tts_values, sizeof(Datum) * rs->natts);
	memcpy(nulls, slot->tts_isnull, sizeof(bool) * rs->natts);
	/* padding is zeroed: rows go to the file as they are */
	memset(row + rs->nulls_off + rs->natts, 0, rs->data_off - rs->nulls_off - rs->natts);
	data = row + rs->data_off;
	for (int i = 0; i < rs->natts; i++)
	{
		Size		n;
		Pointer		p;

		if (nulls[i] || rs->attbyval[i])
			continue;
		p = DatumGetPointer(values[i]);
		n = rs->vsize[i];
		if (rs->attlen[i] == -1 && VARATT_IS_EXTERNAL_EXPANDED(p))
			EOH_flatten_into(DatumGetEOHP(values[i]), data, n);
		else
			memcpy(data, p, n);
		memset(data + n, 0, MAXALIGN(n) - n);
		values[i] = PointerGetDatum(data);
		data += MAXALIGN(n);
	}

	ring_entry(rs, rs->count)->row = row;
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

uint64
mr_rowstore_generation(const MrRowStore *rs)
{
	return rs->generation;
}

/* The read buffer of a slot, at least `size` bytes. */
static char *
slot_buffer(MrRowStore *rs, TupleTableSlot *slot, Size size)
{
	MrReadBuf  *b = NULL;

	for (int i = 0; i < rs->nbufs; i++)
		if (rs->bufs[i].slot == slot)
			b = &rs->bufs[i];
	if (b == NULL)
	{
		if (rs->nbufs == rs->bufs_cap)
		{
			rs->bufs_cap = Max(8, rs->bufs_cap * 2);
			rs->bufs = rs->bufs == NULL
				? MemoryContextAlloc(rs->cxt, sizeof(MrReadBuf) * rs->bufs_cap)
				: repalloc(rs->bufs, sizeof(MrReadBuf) * rs->bufs_cap);
		}
		b = &rs->bufs[rs->nbufs++];
		b->slot = slot;
		b->buf = NULL;
		b->size = 0;
	}
	if (b->buf == NULL || b->size < size)
	{
		if (b->buf)
			pfree(b->buf);
		b->size = Max(size, 64);
		b->buf = MemoryContextAlloc(rs->cxt, b->size);
	}
	return b->buf;
}

/* Read a row of the file into the slot's buffer; returns the row. */
static char *
read_spilled(MrRowStore *rs, int64 offset, TupleTableSlot *slot)
{
	uint32		len;
	char	   *row;
	Datum	   *values;
	bool	   *nulls;

	file_seek(rs->file, offset);
	rs->at_write_pos = false;
	file_read(rs->file, &len, sizeof(len));
	check_row_length(rs, len);
	row = slot_buffer(rs, slot, len);
	file_read(rs->file, row, len);
	values = ROW_VALUES(row);
	nulls = ROW_NULLS(rs, row);
	for (int i = 0; i < rs->natts; i++)
	{
		if (nulls[i] || rs->attbyval[i])
			continue;
		if ((Size) values[i] < rs->data_off || (Size) values[i] >= len)
			elog(ERROR, "corrupt MATCH_RECOGNIZE temporary file: value offset " UINT64_FORMAT,
				 (uint64) values[i]);
		values[i] = PointerGetDatum(row + (Size) values[i]);
	}
	return row;
}

bool
mr_rowstore_fetch(MrRowStore *rs, int64 row, TupleTableSlot *slot)
{
	char	   *r;

	Assert(slot->tts_tupleDescriptor->natts == rs->natts);
	Assert(TTS_IS_VIRTUAL(slot));
	ExecClearTuple(slot);
	if (row < rs->base || row >= rs->count)
		return false;
	if (row >= rs->mem_first)
		r = ring_entry(rs, row)->row;
	else
		r = read_spilled(rs, ring_entry(rs, row)->offset, slot);
	memcpy(slot->tts_values, ROW_VALUES(r), sizeof(Datum) * rs->natts);
	memcpy(slot->tts_isnull, ROW_NULLS(rs, r), sizeof(bool) * rs->natts);
	ExecStoreVirtualTuple(slot);
	return true;
}

bool
mr_rowstore_value(MrRowStore *rs, int64 row, int attno, Datum *value, bool *isnull)
{
	char	   *r;

	Assert(attno >= 1 && attno <= rs->natts);
	if (row < rs->mem_first || row >= rs->count)
		return false;
	r = ring_entry(rs, row)->row;
	*isnull = ROW_NULLS(rs, r)[attno - 1];
	*value = ROW_VALUES(r)[attno - 1];
	return true;
}

void
mr_rowstore_release_before(MrRowStore *rs, int64 row)
{
	int64		upto = Min(row, rs->count);

	if (upto <= rs->base)
		return;
	rs->head = (rs->head + (upto - rs->base)) & (rs->ring_size - 1);
	rs->base = upto;
	rs->mem_first = Max(rs->mem_first, upto);
	blocks_trim(rs);
}

void
mr_rowstore_reset(MrRowStore *rs)
{
	MemoryContextReset(rs->rowcxt);
	rs->oldest = rs->newest = rs->spare = NULL;
	rs->generation++;
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
