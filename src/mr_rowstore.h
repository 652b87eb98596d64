/*-------------------------------------------------------------------------
 *
 * mr_rowstore.h
 *	  The rows of one partition for the MATCH_RECOGNIZE driver: appended in
 *	  order, read back by index (navigation jumps around a match), released
 *	  from the front as the matcher moves on, and spilled to a temporary
 *	  file when they outgrow work_mem.
 *
 *-------------------------------------------------------------------------
 */
#ifndef MR_ROWSTORE_H
#define MR_ROWSTORE_H

#include "executor/tuptable.h"

typedef struct MrRowStore MrRowStore;

/*
 * Rows of the given descriptor; memory up to mem_kb kilobytes (work_mem),
 * then the oldest retained rows go to a temporary file (BufFile).
 * Allocates in the current memory context.
 */
extern MrRowStore *mr_rowstore_create(TupleDesc desc, int mem_kb);

/* Append the slot's row; returns its index (0, 1, 2, ... per partition). */
extern int64 mr_rowstore_append(MrRowStore *rs, TupleTableSlot *slot);

/* Rows appended since the last reset. */
extern int64 mr_rowstore_count(const MrRowStore *rs);

/*
 * Store row `row` in slot (a slot of TTSOpsMinimalTuple made for desc).
 * Returns false, with the slot cleared, if row < 0, row >= count or the
 * row was released.  Several slots may hold rows (the same or different)
 * at once.
 *
 * Validity: a row in memory is not copied, the slot points into the store
 * (shouldFree = false).  Its values stay valid until the slot is cleared
 * or stored again, or the next mr_rowstore_append (which may move the row
 * to the file), or the row's release, or reset, whichever comes first:
 * fetch again after appending.  A row read back from the file is copied
 * into the slot's memory context and owned by the slot (shouldFree = true).
 */
extern bool mr_rowstore_fetch(MrRowStore *rs, int64 row, TupleTableSlot *slot);

/*
 * Rows before `row` will not be fetched again: free them.  A row past the
 * count releases every row appended so far (not later ones).
 */
extern void mr_rowstore_release_before(MrRowStore *rs, int64 row);

/* Start a new partition: drop every row, indexes restart at 0. */
extern void mr_rowstore_reset(MrRowStore *rs);

/*
 * Bytes taken by the rows in memory (the index of 8 bytes per retained row
 * comes on top), and rows written to the temporary file since the store
 * was created (every partition).
 */
extern int64 mr_rowstore_mem_bytes(const MrRowStore *rs);
extern int64 mr_rowstore_spilled_rows(const MrRowStore *rs);

/*
 * Close the temporary file and free everything.  The file belongs to the
 * resource owner current at the first spill: free the store before that
 * owner goes (an error releases it anyway).
 */
extern void mr_rowstore_free(MrRowStore *rs);

#endif							/* MR_ROWSTORE_H */
