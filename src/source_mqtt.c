/*-------------------------------------------------------------------------
 *
 * source_mqtt.c
 *	  The mqtt source kind.
 *	  STUB: being written on branch source-mqtt.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "source.h"

void
source_mqtt_run(SourceContext *ctx)
{
	elog(ERROR, "mqtt sources are not implemented yet");
}

void
source_mqtt_check_options(Jsonb *options)
{
}
