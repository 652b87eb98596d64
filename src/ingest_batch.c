/*-------------------------------------------------------------------------
 *
 * ingest_batch.c
 *	  The batch a source fills between two writes: growable arrays of parsed
 *	  reads and of rejects, all in one memory context that is emptied after
 *	  each write.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "utils/memutils.h"

#include "ingest.h"

/* Rejected payloads are kept up to this many bytes. */
#define INGEST_REJECT_KEEP	8192

IngestBatch *
ingest_batch_create(MemoryContext parent)
{
	IngestBatch *batch = MemoryContextAllocZero(parent, sizeof(IngestBatch));

	batch->cxt = AllocSetContextCreate(parent, "asset_stream ingest batch",
									   ALLOCSET_DEFAULT_SIZES);
	ingest_batch_reset(batch);
	return batch;
}

/*
 * Forget every row and reject, and free their memory.
 */
void
ingest_batch_reset(IngestBatch *batch)
{
	MemoryContextReset(batch->cxt);
	batch->maxrows = 256;
	batch->rows = MemoryContextAlloc(batch->cxt, batch->maxrows * sizeof(IngestRow));
	batch->nrows = 0;
	batch->maxrejects = 16;
	batch->rejects = MemoryContextAlloc(batch->cxt, batch->maxrejects * sizeof(IngestReject));
	batch->nrejects = 0;
	batch->bytes = 0;
	batch->max_event_time = DT_NOBEGIN;
}

/*
 * Append a zeroed row and return it; the caller fills it (allocating in
 * batch->cxt).
 */
IngestRow *
ingest_batch_add_row(IngestBatch *batch)
{
	IngestRow  *row;

	if (batch->nrows == batch->maxrows)
	{
		batch->maxrows *= 2;
		batch->rows = repalloc(batch->rows, batch->maxrows * sizeof(IngestRow));
	}
	row = &batch->rows[batch->nrows++];
	memset(row, 0, sizeof(IngestRow));
	return row;
}

/*
 * Append a reject: the offending text (cut to 8 kB, never past a NUL) and
 * the reason.  Text that is not valid in the database encoding is kept
 * as an escaped copy, so that it can always be stored.
 */
void
ingest_batch_add_reject(IngestBatch *batch, const char *payload, size_t len,
						const char *error)
{
	MemoryContext old = MemoryContextSwitchTo(batch->cxt);
	IngestReject *rej;
	size_t		keep = Min(len, (size_t) INGEST_REJECT_KEEP);

	if (batch->nrejects == batch->maxrejects)
	{
		batch->maxrejects *= 2;
		batch->rejects = repalloc(batch->rejects,
								  batch->maxrejects * sizeof(IngestReject));
	}
	rej = &batch->rejects[batch->nrejects++];
	if (payload == NULL)
		rej->payload = NULL;
	else
	{
		size_t		n = strnlen(payload, keep);

		if (pg_verifymbstr(payload, (int) n, true) && n == keep)
			rej->payload = pnstrdup(payload, n);
		else
		{
			/* escape everything outside printable ASCII as \xNN */
			StringInfoData buf;
			size_t		i;

			initStringInfo(&buf);
			for (i = 0; i < keep; i++)
			{
				unsigned char c = (unsigned char) payload[i];

				if (c >= 0x20 && c < 0x7f && c != '\\')
					appendStringInfoChar(&buf, (char) c);
				else
					appendStringInfo(&buf, "\\x%02x", c);
			}
			rej->payload = buf.data;
		}
	}
	rej->error = pstrdup(error ? error : "unknown error");
	MemoryContextSwitchTo(old);
}
