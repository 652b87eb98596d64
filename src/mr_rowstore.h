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
 * Store row `row` in slot (a virtual slot, TTSOpsVirtual, made for desc).
 * Returns false, with the slot cleared, if row < 0, row >= count or the
 * row was released.  Several slots may hold rows (the same or different)
 * at once.
 *
 * Validity: the slot's by-reference values point into the store.  A row in
 * memory stays valid until the row's release or a change of the store's
 * generation (an append that moved rows to the file, or a reset),
 * whichever comes first.  A row read back from the file sits in a buffer
 * the store keeps for that slot, valid until the slot's next fetch.
 */
extern bool mr_rowstore_fetch(MrRowStore *rs, int64 row, TupleTableSlot *slot);

/*
 * Column attno (1-based) of row `row` if that row is in memory (valid as a
 * fetched row in memory is); false if it is released, absent or in the
 * file (fetch it into a slot instead).
 */
extern bool mr_rowstore_value(MrRowStore *rs, int64 row, int attno,
							  Datum *value, bool *isnull);

/*
 * Changes whenever rows in memory move to the file or the store is reset:
 * while it stays the same, a slot filled by mr_rowstore_fetch for a row
 * not yet released still holds that row.
 */
extern uint64 mr_rowstore_generation(const MrRowStore *rs);

/*
 * Rows before `row` will not be fetched again: free them.  A row past the
 * count releases every row appended so far (not later ones).
 */
extern void mr_rowstore_release_before(MrRowStore *rs, int64 row);

/* Start a new partition: drop every row, indexes restart at 0. */
extern void mr_rowstore_reset(MrRowStore *rs);

/*
 * Bytes taken by the blocks holding the rows in memory (the index of 8
 * bytes per retained row, the spare block and the read buffers of slots
 * come on top), and rows written to the temporary file since the store
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
