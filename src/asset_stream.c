/*-------------------------------------------------------------------------
 *
 * asset_stream.c
 *	  Module entry: PG_MODULE_MAGIC, the asset_stream.* settings, and, when
 *	  the library is in shared_preload_libraries, the hooks and the launcher
 *	  background worker.
 *
 * Without preloading, the SQL functions still work (streams, maintenance
 * by hand); functions that need the workers say so with a hint.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "miscadmin.h"
#include "utils/guc.h"

#include "asset_stream.h"
#include "window_pushdown.h"

PG_MODULE_MAGIC;

int			as_max_future_s = 300;
int			as_max_asset_id_len = 1024;
char	   *as_databases = NULL;
int			as_launcher_naptime_s = 10;
int			as_maintenance_interval_s = 60;
int			as_premake = 4;
int			as_max_partial_matches = 100000;
int			as_match_matcher = AS_MATCHER_LINEAR;

static const struct config_enum_entry as_matcher_options[] = {
	{"linear", AS_MATCHER_LINEAR, false},
	{"backtrack", AS_MATCHER_BACKTRACK, false},
	{NULL, 0, false}
};

void		_PG_init(void);

/*
 * Define the settings every backend understands.
 */
static void
as_define_gucs(void)
{
	DefineCustomIntVariable("asset_stream.max_future",
							"How far ahead of the server clock a read's event_time may be.",
							"Reads further ahead are rejected; -1 disables the check.",
							&as_max_future_s,
							300, -1, INT_MAX,
							PGC_USERSET, GUC_UNIT_S,
							NULL, NULL, NULL);

	DefineCustomIntVariable("asset_stream.max_asset_id_length",
							"Longest asset_id accepted into a stream, in bytes.",
							NULL,
							&as_max_asset_id_len,
							1024, 1, 1024 * 1024,
							PGC_USERSET, GUC_UNIT_BYTE,
							NULL, NULL, NULL);

	DefineCustomStringVariable("asset_stream.databases",
							   "Databases the launcher serves (comma-separated); empty means every database that allows connections.",
							   NULL,
							   &as_databases,
							   "",
							   PGC_SIGHUP, 0,
							   NULL, NULL, NULL);

	DefineCustomIntVariable("asset_stream.launcher_naptime",
							"How often the launcher looks for databases to serve.",
							NULL,
							&as_launcher_naptime_s,
							10, 1, 3600,
							PGC_SIGHUP, GUC_UNIT_S,
							NULL, NULL, NULL);

	DefineCustomIntVariable("asset_stream.maintenance_interval",
							"How often the maintenance worker creates and drops stream partitions.",
							NULL,
							&as_maintenance_interval_s,
							60, 1, 86400,
							PGC_SIGHUP, GUC_UNIT_S,
							NULL, NULL, NULL);

	DefineCustomIntVariable("asset_stream.premake",
							"How many partitions ahead of the current one maintenance keeps ready.",
							NULL,
							&as_premake,
							4, 0, 1000,
							PGC_USERSET, 0,
							NULL, NULL, NULL);

	DefineCustomIntVariable("asset_stream.max_partial_matches",
							"Live partial matches one match_recognize() call may hold.",
							"Beyond it the call fails instead of slowing down; 0 means no limit.",
							&as_max_partial_matches,
							100000, 0, INT_MAX,
							PGC_USERSET, 0,
							NULL, NULL, NULL);
	DefineCustomEnumVariable("asset_stream.match_matcher",
							 "Matcher used by match_recognize(): linear, or the backtracking reference.",
							 "backtrack is exponential in the worst case; it exists for tests.",
							 &as_match_matcher,
							 AS_MATCHER_LINEAR, as_matcher_options,
							 PGC_USERSET, 0,
							 NULL, NULL, NULL);

	MarkGUCPrefixReserved("asset_stream");
}

/*
 * Module load callback.
 */
void
_PG_init(void)
{
	/* GROUP BY pushdown for the window functions: in every backend */
	wp_install();
	as_define_gucs();			/* last: reserves the asset_stream prefix */

	if (!process_shared_preload_libraries_in_progress || IsBinaryUpgrade)
		return;

	as_shmem_install_hooks();
	as_install_utility_hook();
	as_register_launcher();
}
