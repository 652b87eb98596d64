/*-------------------------------------------------------------------------
 *
 * ingest_writer.c
 *	  Writes a batch of reads into a stream's partitions.
 *	  STUB: being written on branch ingest-writer.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "ingest.h"

void
ingest_write_batch(Oid stream_relid, const char *source_name,
				   IngestBatch *batch, IngestWriteResult *result)
{
	elog(ERROR, "ingest_write_batch is not implemented yet");
}
