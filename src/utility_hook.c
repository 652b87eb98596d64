/*-------------------------------------------------------------------------
 *
 * utility_hook.c
 *	  ProcessUtility hook: let DROP DATABASE, ALTER DATABASE ... RENAME and
 *	  CREATE DATABASE ... TEMPLATE proceed although a maintenance worker is
 *	  connected to the database.
 *
 * Those commands fail while other sessions use the database.  Before they
 * run, the hook asks that database's worker to exit and keeps the launcher
 * from restarting it for a while; PostgreSQL itself waits up to 5 s for the
 * remaining connections to go.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "commands/dbcommands.h"
#include "commands/defrem.h"
#include "miscadmin.h"
#include "nodes/parsenodes.h"
#include "tcop/utility.h"
#include "utils/acl.h"

#include "asset_stream.h"

#define AS_HOLD_MS	30000

static ProcessUtility_hook_type prev_ProcessUtility = NULL;

static void as_process_utility(PlannedStmt *pstmt, const char *queryString,
							   bool readOnlyTree, ProcessUtilityContext context,
							   ParamListInfo params, QueryEnvironment *queryEnv,
							   DestReceiver *dest, QueryCompletion *qc);
static const char *as_database_needing_release(Node *stmt);

void
as_install_utility_hook(void)
{
	prev_ProcessUtility = ProcessUtility_hook;
	ProcessUtility_hook = as_process_utility;
}

static void
as_process_utility(PlannedStmt *pstmt, const char *queryString,
				   bool readOnlyTree, ProcessUtilityContext context,
				   ParamListInfo params, QueryEnvironment *queryEnv,
				   DestReceiver *dest, QueryCompletion *qc)
{
	const char *dbname = as_database_needing_release(pstmt->utilityStmt);

	if (dbname != NULL)
	{
		Oid			dboid = get_database_oid(dbname, true);

		/* only for those allowed to run the command anyway */
		if (OidIsValid(dboid) && pg_database_ownercheck(dboid, GetUserId()))
			as_release_database(dboid, AS_HOLD_MS);
	}

	if (prev_ProcessUtility)
		prev_ProcessUtility(pstmt, queryString, readOnlyTree, context,
							params, queryEnv, dest, qc);
	else
		standard_ProcessUtility(pstmt, queryString, readOnlyTree, context,
								params, queryEnv, dest, qc);
}

/*
 * The database a statement needs free of other connections, or NULL.
 */
static const char *
as_database_needing_release(Node *stmt)
{
	if (stmt == NULL)
		return NULL;

	switch (nodeTag(stmt))
	{
		case T_DropdbStmt:
			return ((DropdbStmt *) stmt)->dbname;
		case T_RenameStmt:
			{
				RenameStmt *rs = (RenameStmt *) stmt;

				if (rs->renameType == OBJECT_DATABASE)
					return rs->subname;
				return NULL;
			}
		case T_CreatedbStmt:
			{
				ListCell   *lc;

				foreach(lc, ((CreatedbStmt *) stmt)->options)
				{
					DefElem    *opt = (DefElem *) lfirst(lc);

					if (strcmp(opt->defname, "template") == 0 && opt->arg != NULL)
						return defGetString(opt);
				}
				return NULL;
			}
		default:
			return NULL;
	}
}
