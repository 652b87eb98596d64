/*-------------------------------------------------------------------------
 *
 * source_http.c
 *	  The http source kind.
 *	  STUB: being written on branch source-http.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "source.h"

void
source_http_run(SourceContext *ctx)
{
	elog(ERROR, "http sources are not implemented yet");
}

void
source_http_check_options(Jsonb *options)
{
}
